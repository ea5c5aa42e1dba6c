package org.ilinks.hl7;

import java.nio.charset.Charset;

/** An accepted message as text: decoded in its charset, without the byte-order mark some senders put first. */
public final class Hl7Text {

    private Hl7Text() {
    }

    public static String decode(byte[] raw, Charset charset) {
        return withoutBom(new String(raw, charset));
    }

    /** Intake accepts a leading byte-order mark; it is not part of the message and must not hide its MSH. */
    public static String withoutBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
