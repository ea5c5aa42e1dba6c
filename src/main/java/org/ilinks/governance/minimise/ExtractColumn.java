package org.ilinks.governance.minimise;

/**
 * One column of practice extracts a service may receive ({@code extractColumns} in its profile), and what is done
 * to its values on the way.
 *
 * @param name      the column's name in the extracts' header rows (compared ignoring case)
 * @param transform keep, mask, outward-code, birth-year, birth-year-month, age-band or pseudonymise
 */
public record ExtractColumn(String name, Transform transform) {
}
