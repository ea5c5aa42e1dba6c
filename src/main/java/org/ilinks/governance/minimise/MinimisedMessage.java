package org.ilinks.governance.minimise;

import java.nio.charset.Charset;
import java.util.List;

/**
 * The outcome of applying a profile to one message.
 *
 * @param text    the minimised message, every segment ended by CR
 * @param charset the charset of the original message, used again for {@link #bytes()}
 * @param changes what was removed or transformed, in the order first met
 */
public record MinimisedMessage(String text, Charset charset, List<Change> changes) {

    public MinimisedMessage {
        changes = List.copyOf(changes);
    }

    public byte[] bytes() {
        return text.getBytes(charset);
    }
}
