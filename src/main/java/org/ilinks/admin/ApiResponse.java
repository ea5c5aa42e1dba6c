package org.ilinks.admin;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status and a JSON value, or text, or a stream (exports), plus any headers.
 *
 * @param body a value Jackson writes as JSON, a {@link String} or {@code byte[]} sent as it is, or an
 *             {@link InputStream} streamed
 */
public record ApiResponse(int status, String contentType, Object body, Map<String, String> headers) {

    public static ApiResponse json(Object body) {
        return new ApiResponse(200, "application/json", body, new LinkedHashMap<>());
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, "application/json", body, new LinkedHashMap<>());
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body, new LinkedHashMap<>());
    }

    public static ApiResponse stream(String contentType, InputStream body) {
        return new ApiResponse(200, contentType, body, new LinkedHashMap<>());
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
