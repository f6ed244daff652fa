package org.frontdoor.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer of the REST API: status, extra headers and a body to write as JSON (null for none). */
record Reply(int status, Map<String, String> headers, Object body) {

    static Reply ok(Object body) {
        return new Reply(200, Map.of(), body);
    }

    static Reply error(int status, String reason) {
        return new Reply(status, Map.of(), Map.of("error", reason));
    }

    Reply with(String header, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(header, value);
        return new Reply(status, Map.copyOf(all), body);
    }
}
