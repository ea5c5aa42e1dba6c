package org.ilinks.governance.consent;

/**
 * A change to the registry that a message asks for through a consent code.
 *
 * @param effect    start or end a dissent or consent
 * @param directive for a start, the directive to record; for an end, the terms of the open directives to end
 *                  (patient, scope, choice), with its effective-from day as the day they end
 * @param foundIn   where the code was, e.g. {@code OBX[2]-3}; never a value from the message
 */
public record ConsentChange(ConsentCodeEffect effect, ConsentDirective directive, String foundIn) {
}
