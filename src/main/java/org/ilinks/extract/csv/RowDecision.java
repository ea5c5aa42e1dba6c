package org.ilinks.extract.csv;

import org.ilinks.governance.Outcome;

/**
 * What one row of an extract does for one service, and why.
 *
 * @param outcome    SEND, WITHHELD, HELD (no usable NHS number, for a service that holds such data) or NOT_SUBSCRIBED
 * @param reasonCode a stable code: the consent reason (e.g. DISSENT_ALL, NO_DIRECTIVE_OPT_OUT), NOT_SUBSCRIBED, or
 *                   NHS_NUMBER_INVALID / NHS_NUMBER_MISSING
 * @param sentence   the reason in words, without the NHS number or any value of the row
 */
record RowDecision(Outcome outcome, String reasonCode, String sentence) {
}
