package org.ilinks.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --user} and {@code --purpose} options of the {@code audit} commands: who is
 * looking and why, recorded in the trail as a PERSON_ACTION event before anything is shown.
 */
final class AuditPerson {

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${sys:user.name}",
            description = "Who is looking, for the audit trail (default: the login name, ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--purpose", paramLabel = "TEXT",
            description = "Why you are looking (a request number, a complaint reference): recorded in the audit "
                    + "trail. Required by audit trail, patient and export.")
    String purpose;

    String user() {
        return user == null || user.isBlank() ? "unknown" : user.strip();
    }

    String purpose() {
        return purpose == null || purpose.isBlank() ? null : purpose.strip();
    }
}
