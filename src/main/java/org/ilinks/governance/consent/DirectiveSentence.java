package org.ilinks.governance.consent;

/**
 * Says what a directive is in words a person understands, e.g. "dissent from all sharing recorded 2026-03-01 by
 * practice N81013". The date is the day it took effect at its source; the NHS number is never part of it.
 */
public final class DirectiveSentence {

    private DirectiveSentence() {
    }

    public static String of(ConsentDirective d) {
        String what = switch (d.scope()) {
            case ALL -> d.choice() == ConsentChoice.DISSENT ? "dissent from all sharing" : "consent to all sharing";
            case SERVICE -> (d.choice() == ConsentChoice.DISSENT ? "dissent from sharing with service "
                    : "consent to sharing with service ") + d.scopeValue();
            case CATEGORY -> (d.choice() == ConsentChoice.DISSENT ? "dissent from sharing with "
                    : "consent to sharing with ") + d.scopeValue() + " services";
        };
        String by = switch (d.source()) {
            case PRACTICE -> "practice" + suffix(d.sourceId());
            case CLINICIAN -> "clinician" + suffix(d.sourceId());
            case PATIENT -> "the patient";
        };
        String until = d.effectiveTo() == null ? "" : ", in effect until " + d.effectiveTo();
        return what + " recorded " + d.effectiveFrom() + " by " + by + until;
    }

    private static String suffix(String id) {
        return id == null ? "" : " " + id;
    }
}
