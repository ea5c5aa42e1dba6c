package org.ilinks.admin;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The address of the person calling, for the audit trail and the login limiter. Behind a proxy every request comes
 * from the proxy: only for a proxy named in {@code ilinks.admin.trusted-proxies} is the address it appends to
 * {@code X-Forwarded-For} believed (anyone else could write that header), and its {@code X-Forwarded-Proto} taken
 * to mark the cookie Secure.
 */
final class ClientAddress {

    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final Set<String> trustedProxies;

    ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    String of(String remote, String forwardedFor) {
        if (remote == null || forwardedFor == null || !trustedProxies.contains(remote)) {
            return remote;
        }
        // The proxy appends the address it saw last: earlier entries are the client's own say.
        String[] hops = forwardedFor.split(",");
        String last = hops[hops.length - 1].strip();
        return IP.matcher(last).matches() ? last : remote;
    }

    boolean https(String remote, String forwardedProto) {
        return remote != null && trustedProxies.contains(remote) && "https".equalsIgnoreCase(
                forwardedProto == null ? "" : forwardedProto.strip());
    }
}
