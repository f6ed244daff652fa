package org.frontdoor.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.frontdoor.api.ConversationEvent;

/** The one JSON mapping of the REST API: ISO-8601 instants, records as objects, event types by their id. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            // the api bundle has no Jackson: the event feed speaks the ids of frontdoor:events?types=, not enum names
            .registerModule(new SimpleModule("frontdoor-events").addSerializer(new EventTypeSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // {"text":"a"} followed by anything else is malformed, not a reply
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** {@code MESSAGE_ADDED} as {@code "message-added"}. */
    private static final class EventTypeSerializer extends StdSerializer<ConversationEvent.Type> {

        private static final long serialVersionUID = 1L;

        EventTypeSerializer() {
            super(ConversationEvent.Type.class);
        }

        @Override
        public void serialize(ConversationEvent.Type type, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            json.writeString(type.id());
        }
    }
}
