package org.ilinks.extract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;

/**
 * An HL7 v2 practice file split into records, each inspected as intake inspects an MLLP message; or the reason the
 * whole file is bad, in words a practice manager can act on (never a value from the file). A file is bad when its
 * batch trailers disagree with what it holds, when it holds no HL7 message, when lines sit outside any message, or
 * when a message's bytes are not in the encoding it declares: then nothing from it may be delivered.
 */
record Hl7Extract(List<Record> records, String badFileReason) {

    /** One message of the file: its index (0-based), the line its MSH is on, its bytes and intake's verdict. */
    record Record(int index, int line, byte[] bytes, Inspection inspection) {
    }

    boolean bad() {
        return badFileReason != null;
    }

    static Hl7Extract read(byte[] content, Hl7Inspector inspector) {
        Hl7FileReader.Hl7File file = Hl7FileReader.read(content);
        if (file.messages().isEmpty()) {
            return bad("the file holds no HL7 message (no line begins with MSH): it is empty, not an HL7 file, or in "
                    + "an encoding the engine cannot read (such as UTF-16); ask the system supplier to send it again "
                    + "as HL7 v2");
        }
        List<String> trailers = file.trailerWarnings();
        if (!trailers.isEmpty()) {
            return bad("the batch trailer counts do not match the file (" + String.join("; ", trailers) + "): the "
                    + "file may be incomplete or damaged; ask the system supplier to send it again");
        }
        if (!file.warnings().isEmpty()) {
            return bad("the file has lines outside any message (" + String.join("; ", file.warnings()) + "): ask the "
                    + "system supplier to check the file and send it again");
        }
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < file.messages().size(); i++) {
            byte[] bytes = file.messages().get(i);
            Inspection inspection = inspector.inspect(bytes);
            if (!decodes(bytes, inspection)) {
                return bad("message " + (i + 1) + " (line " + file.lineOf(i) + ") is not in the encoding the file "
                        + "declares (" + inspection.charset().name() + ", from MSH-18 or the engine's default): ask "
                        + "the system supplier to send the file in that encoding, or to declare the right one");
            }
            records.add(new Record(i, file.lineOf(i), bytes, inspection));
        }
        return new Hl7Extract(List.copyOf(records), null);
    }

    private static Hl7Extract bad(String reason) {
        return new Hl7Extract(List.of(), reason);
    }

    private static boolean decodes(byte[] bytes, Inspection inspection) {
        try {
            inspection.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
