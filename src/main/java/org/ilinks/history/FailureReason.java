package org.ilinks.history;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpInvalidAcknowledgementException;

/**
 * Why a delivery attempt failed, for the message history: the engine's own words and the exception's class, never
 * the exception's message (which, for components other than camel-mllp, could quote what was being sent).
 */
public final class FailureReason {

    private static final int MAX = 300;

    private FailureReason() {
    }

    public static String of(Throwable cause) {
        if (cause == null) {
            return "delivery failed (unknown error)";
        }
        String words;
        if (cause instanceof MllpApplicationRejectAcknowledgementException) {
            words = "rejected by the service (ACK AR)";
        } else if (cause instanceof MllpCommitRejectAcknowledgementException) {
            words = "rejected by the service (ACK CR)";
        } else if (cause instanceof MllpApplicationErrorAcknowledgementException) {
            words = "the service answered AE";
        } else if (cause instanceof MllpCommitErrorAcknowledgementException) {
            words = "the service answered CE";
        } else if (cause instanceof MllpInvalidAcknowledgementException) {
            words = "the service's answer was not a valid HL7 ACK";
        } else if (has(cause, ConnectException.class)) {
            words = "the service could not be reached";
        } else if (has(cause, SocketTimeoutException.class) || cause.getClass().getSimpleName().contains("Timeout")) {
            words = "no answer from the service in time";
        } else {
            words = "delivery failed";
        }
        String text = words + " (" + classes(cause) + ")";
        return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "\u2026";
    }

    /** The class names down the cause chain, outermost first: "MllpWriteException < ConnectException". */
    static String classes(Throwable cause) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 3; t = t.getCause() == t ? null : t.getCause(), depth++) {
            out.append(depth == 0 ? "" : " < ").append(t.getClass().getSimpleName());
        }
        return out.toString();
    }

    private static boolean has(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
