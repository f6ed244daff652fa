package org.frontdoor.channel.sms;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strict {@code application/x-www-form-urlencoded} body, as Twilio posts its webhooks: UTF-8, {@code name=value}
 * pairs joined by {@code &}, percent-encoded, {@code +} for a space. Anything else is malformed.
 */
record Form(List<Map.Entry<String, String>> parameters) {

    /** The most parameters a body may have (Twilio sends some 20 for a text, more with many media). */
    static final int MAX_PARAMETERS = 200;

    static Form parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body is not UTF-8");
        }
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (text.isEmpty()) {
            return new Form(List.of());
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                throw new IllegalArgumentException("the form has an empty parameter (\"&&\" or a trailing \"&\")");
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("the form has a parameter without a name or '='");
            }
            String name = decode(pair.substring(0, eq));
            String value = decode(pair.substring(eq + 1));
            parameters.add(Map.entry(name, value));
            if (parameters.size() > MAX_PARAMETERS) {
                throw new IllegalArgumentException("the form has more than " + MAX_PARAMETERS + " parameters");
            }
        }
        return new Form(List.copyOf(parameters));
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the form is not percent-encoded properly");
        }
    }

    /** The first value of a parameter, or null. */
    String get(String name) {
        for (Map.Entry<String, String> p : parameters) {
            if (p.getKey().equals(name)) {
                return p.getValue();
            }
        }
        return null;
    }

    /** The first value, blank taken as absent. */
    String nonBlank(String name) {
        String v = get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Whether a parameter of that name was given more than once. */
    boolean repeated(String name) {
        return parameters.stream().filter(p -> p.getKey().equals(name)).count() > 1;
    }
}
