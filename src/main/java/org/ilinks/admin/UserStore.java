package org.ilinks.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Users and API tokens of the admin API in the engine's database (tables of V5__admin_users.sql). */
public final class UserStore {

    /** A database failure; the message names the operation only. */
    public static final class StoreException extends RuntimeException {
        StoreException(String what, SQLException cause) {
            super("the user store could not " + what + " (" + cause.getClass().getSimpleName() + ", SQL state "
                    + cause.getSQLState() + ")", cause);
        }
    }

    private static final String USER_COLUMNS = "username, password_hash, roles, disabled, must_change_password, "
            + "created_at";
    private static final String TOKEN_COLUMNS = "id, username, label, created_at, expires_at, last_used_at, "
            + "revoked_at";

    private final DataSource dataSource;

    public UserStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public int count() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM admin_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StoreException("count users", e);
        }
    }

    public Optional<AdminUser> find(String username) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM admin_user WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("read a user", e);
        }
    }

    public List<AdminUser> list() {
        List<AdminUser> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM admin_user ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(user(rs));
            }
            return users;
        } catch (SQLException e) {
            throw new StoreException("list users", e);
        }
    }

    /** @return false when a user of that name exists already */
    public boolean create(AdminUser user) {
        if (find(user.username()).isPresent()) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO admin_user (" + USER_COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, user.username());
            ps.setString(2, user.passwordHash());
            ps.setString(3, roles(user.roles()));
            ps.setBoolean(4, user.disabled());
            ps.setBoolean(5, user.mustChangePassword());
            ps.setObject(6, utc(user.createdAt()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // created by someone else since the look-up
            }
            throw new StoreException("create a user", e);
        }
    }

    /** Sets the user's roles and whether it is disabled; false when there is no such user. */
    public boolean update(String username, Set<Role> roles, boolean disabled) {
        return updateOne("UPDATE admin_user SET roles = ?, disabled = ? WHERE username = ?", "update a user",
                ps -> {
                    ps.setString(1, roles(roles));
                    ps.setBoolean(2, disabled);
                    ps.setString(3, username);
                });
    }

    /** Replaces the password hash; false when there is no such user. */
    public boolean setPassword(String username, String passwordHash, boolean mustChange) {
        return updateOne("UPDATE admin_user SET password_hash = ?, must_change_password = ? WHERE username = ?",
                "change a password", ps -> {
                    ps.setString(1, passwordHash);
                    ps.setBoolean(2, mustChange);
                    ps.setString(3, username);
                });
    }

    /** Stores a new token's hash; returns its id. */
    public long addToken(String username, String tokenHash, String label, Instant createdAt, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO admin_token (token_hash, username, label, "
                     + "created_at, expires_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, tokenHash);
            ps.setString(2, username);
            ps.setString(3, label);
            ps.setObject(4, utc(createdAt));
            ps.setObject(5, expiresAt == null ? null : utc(expiresAt));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("store a token", e);
        }
    }

    /** The token with this hash if it is live (not revoked, not expired), marking it used now. */
    public Optional<ApiToken> useToken(String tokenHash, Instant now) {
        Optional<ApiToken> token;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS
                     + " FROM admin_token WHERE token_hash = ?")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                token = rs.next() ? Optional.of(token(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("read a token", e);
        }
        Optional<ApiToken> live = token.filter(t -> t.revokedAt() == null
                && (t.expiresAt() == null || t.expiresAt().isAfter(now)));
        live.ifPresent(t -> updateOne("UPDATE admin_token SET last_used_at = ? WHERE id = ?", "mark a token used",
                ps -> {
                    ps.setObject(1, utc(now));
                    ps.setLong(2, t.id());
                }));
        return live;
    }

    public Optional<ApiToken> token(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM admin_token WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(token(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("read a token", e);
        }
    }

    public List<ApiToken> tokensOf(String username) {
        List<ApiToken> tokens = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS
                     + " FROM admin_token WHERE username = ? ORDER BY id")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tokens.add(token(rs));
                }
            }
            return tokens;
        } catch (SQLException e) {
            throw new StoreException("list tokens", e);
        }
    }

    /** Revokes a live token; false when there is no such token or it was revoked already. */
    public boolean revokeToken(long id, Instant now) {
        return updateOne("UPDATE admin_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                "revoke a token", ps -> {
                    ps.setObject(1, utc(now));
                    ps.setLong(2, id);
                });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean updateOne(String sql, String what, Binder binder) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private static AdminUser user(ResultSet rs) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String word : rs.getString("roles").split(",")) {
            if (!word.isBlank()) {
                Role.byWord(word).ifPresent(roles::add); // a role this version does not know grants nothing
            }
        }
        return new AdminUser(rs.getString("username"), rs.getString("password_hash"), roles,
                rs.getBoolean("disabled"), rs.getBoolean("must_change_password"), instant(rs, "created_at"));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("username"), rs.getString("label"),
                instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    /** Role words, comma-separated, in a fixed order: as stored and as shown. */
    public static String roles(Set<Role> roles) {
        return roles.stream().sorted().map(Role::word).collect(Collectors.joining(","));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
