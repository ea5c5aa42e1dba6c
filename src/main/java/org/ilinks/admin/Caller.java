package org.ilinks.admin;

import java.util.Set;

/**
 * Who is calling and how they proved it.
 *
 * @param sessionId the session's id when logged in with one (to end it at logout), else null
 */
public record Caller(String username, Set<Role> roles, boolean mustChangePassword, String via, String sessionId) {

    public boolean may(Permission permission) {
        return Role.anyGrants(roles, permission);
    }

    @Override
    public String toString() {
        return "Caller[" + username + " via " + via + "]";
    }
}
