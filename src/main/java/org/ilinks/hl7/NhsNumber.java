package org.ilinks.hl7;

/**
 * Checks NHS numbers (England, Wales and the Isle of Man): ten digits whose last digit is the
 * Modulus 11 check digit of the first nine.
 */
public final class NhsNumber {

    private NhsNumber() {
    }

    /**
     * @param value candidate, spaces allowed ("943 476 5919")
     * @return true when it is ten digits with a correct Modulus 11 check digit
     */
    public static boolean isValid(String value) {
        String digits = normalise(value);
        if (digits == null) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        // A computed check digit of 10 means no valid NHS number has these first nine digits.
        return check != 10 && check == digits.charAt(9) - '0';
    }

    /**
     * @param value candidate, spaces allowed anywhere ("943 476 5919")
     * @return the ten digits without spaces, or null when the value is not ten digits once spaces are removed
     */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        char[] digits = new char[10];
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '9' || count == 10) {
                return null;
            }
            digits[count++] = c;
        }
        return count == 10 ? new String(digits) : null;
    }
}
