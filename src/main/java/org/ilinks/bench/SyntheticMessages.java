package org.ilinks.bench;

import java.nio.charset.StandardCharsets;

/** Made-up ADT^A01 messages for load: unique MSH-10 each, spread over a number of made-up patients. */
public final class SyntheticMessages {

    private final int patients;

    public SyntheticMessages(int patients) {
        this.patients = patients;
    }

    public byte[] message(long sequence) {
        String nhs = nhsNumber(sequence % patients);
        String msg = "MSH|^~\\&|BENCH|BENCH01|ILINKS|NMERSEY|20261126120000||ADT^A01^ADT_A01|BENCH-" + sequence
                + "|P|2.4|||AL|NE|GBR\r"
                + "EVN|A01|20261126120000\r"
                + "PID|1||" + nhs + "^^^NHS^NH~B" + sequence % patients + "^^^BENCH01^MR||TEST^PATIENT^" + sequence % patients
                + "||19700101|U|||1 TEST STREET^^LIVERPOOL^^L1 1AA^GBR^H\r"
                + "PV1|1|I|WARD1^BAY1^BED1^BENCH01||||C0000001^DOCTOR^TEST^^^DR|||180\r";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    /** A 10-digit number with a valid Modulus 11 check digit, from a seed (made up, belongs to nobody). */
    public static String nhsNumber(long seed) {
        long base = 900_000_000L + seed * 7;
        while (true) {
            String nine = Long.toString(base % 1_000_000_000L);
            nine = "0".repeat(9 - nine.length()) + nine;
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return nine + check;
            }
            base++;
        }
    }
}
