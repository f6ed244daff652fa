package org.frontdoor.web;

import java.nio.charset.StandardCharsets;

import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A {@link Reply} as a JAX-RS Response: its status and headers, its body as JSON ({@link Json}) or as its text. */
final class Replies {

    static final String JSON = "application/json";

    private Replies() {
    }

    static Response response(Reply reply) {
        Response.ResponseBuilder answer = Response.status(reply.status());
        reply.headers().forEach(answer::header);
        Object body = reply.body();
        if (body == null) {
            return answer.build();
        }
        if (body instanceof RestHandler.Text text) {
            return answer.entity(text.text().getBytes(StandardCharsets.UTF_8)).type(text.mediaType()).build();
        }
        try {
            return answer.entity(Json.MAPPER.writeValueAsBytes(body)).type(JSON).build();
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException("cannot write the answer as JSON", e);
        }
    }
}
