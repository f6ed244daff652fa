package org.frontdoor.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document of {@code /api/v1} ({@code GET /api/v1/openapi.json}, shown by Swagger UI at
 * {@code /api/docs}), made from {@link RestHandler#ROUTES}: each route's path, method, path parameters and access
 * ({@link RestHandler.Kind}, as {@code x-frontdoor-access} and its security) come from the route table, and what it
 * answers from {@link #OPERATIONS}, this class's table of one {@link Operation} per route, with the longer text of
 * {@code openapi.md} beside this class (a section per route, headed by its name). A route without an operation here,
 * an operation without a route, or a section that names no route fails OpenApiTest; RouteAccessTest calls every route
 * and checks that it answers the documented status with the documented keys.
 */
final class OpenApi {

    /** The media type of {@code GET /metrics} (Prometheus' text format). */
    private static final String TEXT = "text/plain";

    /**
     * What one route takes and answers.
     *
     * @param summary one line for the route's list
     * @param status  what it answers when it works
     * @param answer  the schema of its body then: a name of {@link #SCHEMAS}, {@code "[Name]"} for an array of them,
     *                {@link #TEXT} for plain text, {@code "binary"} for a download, null for none
     * @param query   its query parameters, each "name: what it means"
     * @param body    the fields of its JSON body, each "name: what it means" ("name*" when required); null for none
     */
    record Operation(String summary, int status, String answer, List<String> query, List<String> body) {

        Operation {
            query = query == null ? List.of() : List.copyOf(query);
        }
    }

    /** A JSON object's keys: those always there, and those there only sometimes (for some callers or states). */
    record Schema(List<String> required, List<String> optional) {

        static Schema of(String... keys) {
            return new Schema(List.of(keys), List.of());
        }

        Schema orMaybe(String... keys) {
            return new Schema(required, List.of(keys));
        }

        /** Every key it may have. */
        List<String> keys() {
            List<String> all = new ArrayList<>(required);
            all.addAll(optional);
            return all;
        }
    }

    /** The bodies the API answers, by name. */
    static final Map<String, Schema> SCHEMAS = new TreeMap<>(Map.ofEntries(
            Map.entry("Error", Schema.of("error")),
            Map.entry("ConversationPage", Schema.of("items", "total", "offset", "limit")),
            Map.entry("Conversation", Schema.of("id", "customerId", "customerName", "channel", "instance",
                    "threadRef", "department", "status", "assignee", "priority", "preview", "messageCount",
                    "createdAt", "lastActivityAt").orMaybe("sla")),
            Map.entry("ConversationDetail", Schema.of("summary", "messages", "replies", "readUpTo", "notes")),
            Map.entry("Message", Schema.of("id", "externalId", "visibility", "customerId", "authorHandle",
                    "authorName", "text", "receivedAt", "annotations", "attachments", "seq", "hidden")),
            Map.entry("Reply", Schema.of("id", "conversationId", "text", "visibility", "author", "status",
                    "attempts", "lastError", "createdAt", "sentAt", "nextAttemptAt", "via", "seq").orMaybe("delivery")),
            Map.entry("ReplyMeasure", Schema.of("channel", "instance", "length", "unit", "maxLength", "messages",
                    "maxMessages", "fits", "refusal", "doorRunning").orMaybe("visibilities")),
            Map.entry("Note", Schema.of("id", "conversationId", "author", "text", "mentions", "createdAt", "seq")),
            Map.entry("ReadMark", Schema.of("conversationId", "readUpTo")),
            Map.entry("Typing", Schema.of("conversationId", "kept")),
            Map.entry("Why", Schema.of("summary", "rule", "reason", "annotations", "history")),
            Map.entry("Customer", Schema.of("id", "displayName", "createdAt", "identities", "conversations")),
            Map.entry("Merge", Schema.of("id", "fromCustomer", "intoCustomer", "reason", "mergedBy", "mergedAt",
                    "unmergedBy", "unmergedAt", "identities", "conversations", "messages")),
            Map.entry("MergeSuggestion", Schema.of("id", "fromCustomer", "fromName", "intoCustomer", "intoName",
                    "reason", "suggestedBy", "suggestedAt")),
            Map.entry("EventPage", Schema.of("events", "next")),
            Map.entry("Session", Schema.of("user", "roles").orMaybe("csrfToken", "idleTimeoutSeconds")),
            Map.entry("CallbackList", Schema.of("callbacks")),
            Map.entry("Callback", Schema.of("id", "conversationId", "department", "customerId", "customerName",
                    "phone", "note", "createdAt", "doneBy", "doneAt").orMaybe("callId", "calledBy", "calledAt")),
            Map.entry("InboxCounts", Schema.of("open", "byStatus", "byDepartment", "byChannel", "byPriority", "bySla",
                    "mine")),
            Map.entry("DashboardQueues", Schema.of("at", "departments")),
            Map.entry("DashboardVolumes", Schema.of("since", "hours", "doors")),
            Map.entry("RuleList", Schema.of("rules")),
            Map.entry("EventConsumerList", Schema.of("consumers")),
            Map.entry("IntegrationList", Schema.of("integrations")),
            Map.entry("Health", Schema.of("status", "live", "ready", "core", "database", "doors")
                    .orMaybe("problems")),
            Map.entry("AgentList", Schema.of("agents")),
            Map.entry("Agent", Schema.of("name", "displayName", "departments", "skills", "languages", "capacity",
                    "open", "presence", "presenceAt", "version")),
            Map.entry("User", Schema.of("name", "roles", "disabled", "createdAt", "updatedAt", "version")),
            Map.entry("Door", Schema.of("channel", "instance", "status", "since", "reason")),
            Map.entry("DoorCheck", Schema.of("channel", "instance", "ok", "steps", "status", "reason")),
            Map.entry("DoorReconnect", Schema.of("channel", "instance", "status", "reason")),
            Map.entry("DepartmentList", Schema.of("departments")),
            Map.entry("Department", Schema.of("id", "name", "status").orMaybe("reason", "file", "seen", "timeZone",
                    "businessHours", "holidays", "openNow", "nextOpening", "defaultPriority", "firstResponseMinutes",
                    "resolutionMinutes", "readGroups", "firstResponseByPriority", "resolutionByPriority",
                    "warnAtPercent", "escalation", "closedReply", "assignment")),
            Map.entry("OpenApi", Schema.of("openapi", "info", "servers", "paths", "components"))));

    private static final List<String> PAGE = List.of("offset: rows to skip (0)", "limit: rows to show, 1 to 500 (50)");
    private static final List<String> EVENTS = List.of(
            "after: the position from the previous page's next (0: from the start)",
            "limit: events to show, 1 to 500 (50)",
            "types: event type ids, comma separated (routed,resolved)",
            "department: only this department's (a transfer out of it too)");

    private static Operation op(String summary, int status, String answer) {
        return new Operation(summary, status, answer, List.of(), null);
    }

    private static Operation change(String summary, int status, String answer, String... body) {
        return new Operation(summary, status, answer, List.of(), List.of(body));
    }

    private static Operation read(String summary, String answer, List<String> query) {
        return new Operation(summary, 200, answer, query, null);
    }

    /** One operation per route of {@link RestHandler#ROUTES}, by its name ({@code GET /conversations/{id}}). */
    static final Map<String, Operation> OPERATIONS = Map.ofEntries(
            Map.entry("GET /conversations", read("Conversations in the caller's scope, newest activity first",
                    "ConversationPage", concat(List.of("status: open, pending, snoozed or resolved",
                            "department: only this department's", "channel: only this channel's",
                            "priority: only this priority's", "tag: a classifier's name=value on a message "
                                    + "(sentiment=negative)", "sla: ok, at-risk or breached",
                            "assignee: only this agent's", "mine: true for the caller's own",
                            "sort: urgency or activity (activity: newest first)"), PAGE))),
            Map.entry("GET /conversations/counts", op("How many conversations each inbox view holds within the "
                    + "caller's scope", 200, "InboxCounts")),
            Map.entry("POST /conversations/{id}/reopen", change("Reopens a resolved or snoozed conversation", 200,
                    "Conversation")),
            Map.entry("GET /conversations/{id}", op("A conversation with its messages, replies and notes", 200,
                    "ConversationDetail")),
            Map.entry("GET /conversations/{id}/messages/{messageId}/attachments/{n}", op(
                    "The n-th attachment (from 0) of a message, as a download; 410 when its door did not keep it",
                    200, "binary")),
            Map.entry("POST /conversations/{id}/replies", change("Queues a reply (an Idempotency-Key header makes a "
                    + "retry safe)", 202, "Reply", "text*: what to send", "visibility: public or private",
                    "via: {channel, instance, handle, name}: another door the customer confirmed")),
            Map.entry("POST /conversations/{id}/replies/measure", change("How the conversation's door counts a "
                    + "reply (segments, posts) before it is sent; nothing is stored", 200, "ReplyMeasure",
                    "text*: the reply being written")),
            Map.entry("POST /conversations/{id}/notes", change("Adds an internal note (its @name tokens are its "
                    + "mentions), never sent to the customer", 201, "Note", "text*: the note")),
            Map.entry("POST /conversations/{id}/snooze", change("Snoozes the conversation until a time in the "
                    + "future", 200, "Conversation", "until*: an ISO-8601 instant")),
            Map.entry("POST /conversations/{id}/assign", change("Assigns the conversation", 200, "Conversation",
                    "agent: who (the caller when absent)")),
            Map.entry("POST /conversations/{id}/transfer", change("Moves the conversation to another department",
                    200, "Conversation", "department*: the department's id")),
            Map.entry("POST /conversations/{id}/resolve", change("Resolves the conversation", 200,
                    "Conversation")),
            Map.entry("POST /conversations/{id}/read", change("Marks messages read; the mark only moves forward",
                    200, "ReadMark", "upTo: a message id (every message so far when absent)")),
            Map.entry("POST /conversations/{id}/typing", change("Says the agent is writing a reply", 200,
                    "Typing")),
            Map.entry("GET /conversations/{id}/why", op("Why the conversation is where it is: the rule, the "
                    + "classifiers' annotations, its transfers and assignments", 200, "Why")),
            Map.entry("POST /conversations/{id}/messages/{messageId}/hide", change("Hides a customer's message on "
                    + "its network", 200, "Message", "reason*: why")),
            Map.entry("POST /conversations/{id}/messages/{messageId}/unhide", change("Shows a hidden message again",
                    200, "Message", "reason*: why")),
            Map.entry("POST /replies/{id}/retry", change("Sends a failed reply again", 202, "Reply")),
            Map.entry("GET /customers/{id}", op("A customer with the identities and conversations the caller may "
                    + "see", 200, "Customer")),
            Map.entry("POST /customers/{id}/consent", change("Records a customer's consent by hand (admins)", 200,
                    "Customer", "channel*: the identity's door", "handle*: the identity's address",
                    "state*: opted-out or opted-in", "reason*: why")),
            Map.entry("POST /customers/{id}/merge", change("Merges this customer into another", 200, "Merge",
                    "into*: the other customer's id")),
            Map.entry("POST /merges/{id}/unmerge", change("Undoes a merge", 200, "Merge")),
            Map.entry("GET /merge-suggestions", op("Customers that look like the same person", 200,
                    "[MergeSuggestion]")),
            Map.entry("GET /events", read("The event log, a page at a time: ask again with after=next",
                    "EventPage", EVENTS)),
            Map.entry("GET /events/stream", read("The event log as Server-Sent Events (Last-Event-ID resumes); "
                    + "without Accept: text/event-stream, one page as GET /events", "EventPage", EVENTS)),
            Map.entry("POST /session", change("Logs a browser in: sets the session cookie, answers the CSRF token "
                    + "(JSON or a form)", 200, "Session", "username*: the user", "password*: their password")),
            Map.entry("GET /session", op("Who the session cookie's user is, with the CSRF token", 200, "Session")),
            Map.entry("DELETE /session", op("Logs the browser out (needs the X-CSRF-Token header)", 204, null)),
            Map.entry("GET /callbacks", read("Phone callback tasks in the caller's scope", "CallbackList",
                    List.of("all: true to show done tasks too (false)", "limit: tasks to show, 1 to 1000 (100)"))),
            Map.entry("POST /callbacks/{id}/done", change("Marks a callback task done", 200, "Callback")),
            Map.entry("POST /callbacks/{id}/call", change("Calls the customer of a callback task through a door that "
                    + "can call: the agent's phone rings first", 200, "Callback",
                    "agentPhone: the agent's number (else the door's agentPhones)", "door: channel:instance")),
            Map.entry("GET /dashboard/queues", op("Each department's queue in the caller's scope (supervisors, "
                    + "admins)", 200, "DashboardQueues")),
            Map.entry("GET /dashboard/volumes", read("Customer messages per door and hour in the caller's scope "
                    + "(supervisors, admins)", "DashboardVolumes", List.of("hours: 1 to 168 (24)"))),
            Map.entry("GET /rules", op("The routing rules registered now, in the order they are asked (admins)", 200,
                    "RuleList")),
            Map.entry("GET /event-consumers", op("The event log's named consumers, where each stands and what it "
                    + "missed", 200, "EventConsumerList")),
            Map.entry("GET /integrations", op("The department integrations: position, backlog, deliveries, last "
                    + "error", 200, "IntegrationList")),
            Map.entry("GET /health", read("Ready (200) or not (503), for load balancers; an admin also gets the "
                    + "problems", "Health", List.of("detail: ask for the problems (admins)"))),
            Map.entry("GET /metrics", op("The metrics in Prometheus' text format", 200, TEXT)),
            Map.entry("GET /agents", op("The agents with their departments, capacity and presence", 200,
                    "AgentList")),
            Map.entry("POST /agents", change("Creates an agent", 201, "Agent", "name*: the login name",
                    "displayName", "departments", "skills", "languages", "capacity", "open")),
            Map.entry("GET /agents/{name}", op("An agent", 200, "Agent")),
            Map.entry("PUT /agents/{name}", change("Changes an agent", 200, "Agent", "version*: the version read",
                    "displayName", "departments", "skills", "languages", "capacity", "open")),
            Map.entry("PUT /agents/{name}/presence", change("Sets an agent's presence", 200, "Agent",
                    "presence*: online, away or offline")),
            Map.entry("GET /users", op("The login accounts", 200, "[User]")),
            Map.entry("POST /users", change("Creates a login account", 201, "User", "name*", "password*",
                    "roles*: admin, supervisor, agent")),
            Map.entry("GET /users/{name}", op("A login account", 200, "User")),
            Map.entry("PUT /users/{name}/roles", change("Sets an account's roles", 200, "User", "roles*")),
            Map.entry("PUT /users/{name}/password", change("Sets a password (a user's own needs the old one)",
                    200, "User", "password*", "oldPassword: for one's own")),
            Map.entry("GET /channels", op("Every door and its health", 200, "[Door]")),
            Map.entry("POST /channels/{channel}/{instance}/check", change("The door tries its settings now", 200,
                    "DoorCheck")),
            Map.entry("POST /channels/{channel}/{instance}/reconnect", change("The door connects again now", 202,
                    "DoorReconnect")),
            Map.entry("GET /departments", op("The departments, configured or only seen, and whether each is open "
                    + "now", 200, "DepartmentList")),
            Map.entry("GET /departments/{id}", op("A department's settings, whether it is open now and when it "
                    + "next opens", 200, "Department")),
            Map.entry("GET /openapi.json", op("This document", 200, "OpenApi")));

    private static final Pattern PARAMETER = Pattern.compile("\\{([^/}]+)\\}");

    private OpenApi() {
    }

    /** The document, as Jackson writes it: OpenAPI 3.0.3. */
    static Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Frontdoor REST API", "version", "1",
                "description", "Every route of /api/v1. Log in with HTTP Basic (roles admin, supervisor, agent; "
                        + "failed logins are throttled: 429 with Retry-After), or with the browser session of POST "
                        + "/session (its cookie, and its X-CSRF-Token header on every change). Every POST, PUT and "
                        + "DELETE says Content-Type: application/json (UTF-8), else 415. An error is {\"error\": "
                        + "reason}: 400 a bad parameter or body (naming the field), 404 what does not exist and, in "
                        + "the same words, what is outside the caller's departments (x-frontdoor-access says which "
                        + "kind of thing a route names), 409 a change that no longer applies, 503 while the core or "
                        + "the database cannot answer (Retry-After; a reply may have been stored: retry it with the "
                        + "same Idempotency-Key). Event types are given by their ids (created, message-added, routed, "
                        + "assigned, transferred, replied, reply-sent, reply-failed, resolved, reopened, read, typing, "
                        + "sla-warning, sla-breached, escalated, ...)."));
        doc.put("servers", List.of(Map.of("url", "/api/v1")));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RestHandler.Route route : RestHandler.ROUTES) {
            // a route not described yet is still listed (OpenApiTest fails for it): the document never breaks
            Operation operation = OPERATIONS.getOrDefault(route.toString(),
                    new Operation("(not described yet)", 200, null, List.of(), null));
            @SuppressWarnings("unchecked")
            Map<String, Object> path = (Map<String, Object>) paths.computeIfAbsent(route.template(),
                    t -> new LinkedHashMap<String, Object>());
            path.put(route.method().toLowerCase(java.util.Locale.ROOT), operation(route, operation));
        }
        doc.put("paths", paths);
        Map<String, Object> schemas = new LinkedHashMap<>();
        SCHEMAS.forEach((name, schema) -> schemas.put(name, schema(schema)));
        doc.put("components", Map.of(
                "schemas", schemas,
                "securitySchemes", Map.of(
                        "basic", Map.of("type", "http", "scheme", "basic"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", Sessions.COOKIE,
                                "description", "from POST /session; a change also needs the "
                                        + Sessions.CSRF_HEADER + " header"))));
        return doc;
    }

    private static Map<String, Object> operation(RestHandler.Route route, Operation operation) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", operation.summary());
        String details = details().get(route.toString());
        if (details != null) {
            op.put("description", details);
        }
        op.put("operationId", route.method().toLowerCase(java.util.Locale.ROOT)
                + route.template().replaceAll("[^A-Za-z0-9]+", "_"));
        op.put("tags", List.of(route.template().split("/")[1]));
        op.put("x-frontdoor-access", route.kind().name());
        op.put("security", route.kind() == RestHandler.Kind.PUBLIC ? List.of()
                : List.of(Map.of("basic", List.of()), Map.of("session", List.of())));
        List<Object> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(route.template());
        while (m.find()) {
            boolean number = !route.template().startsWith("/departments") && !route.template().startsWith("/agents")
                    && !route.template().startsWith("/users") && !route.template().startsWith("/channels");
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", number ? "integer" : "string")));
        }
        for (String q : operation.query()) {
            String[] named = q.split(": ", 2);
            parameters.add(Map.of("name", named[0], "in", "query", "required", false,
                    "description", named[1], "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (operation.body() != null) {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (String field : operation.body()) {
                String[] named = field.split(": ", 2);
                String name = named[0].replace("*", "");
                if (named[0].endsWith("*")) {
                    required.add(name);
                }
                properties.put(name, named.length > 1 ? Map.of("description", named[1]) : Map.of());
            }
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            if (!required.isEmpty()) {
                schema.put("required", required);
            }
            op.put("requestBody", Map.of("required", !required.isEmpty(),
                    "content", Map.of("application/json", Map.of("schema", schema))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(Integer.toString(operation.status()), answer(operation));
        errors(route, operation).forEach((status, why) -> responses.put(status, Map.of("description", why,
                "content", Map.of("application/json", Map.of("schema", ref("Error"))))));
        if (route.kind() == RestHandler.Kind.PUBLIC) {
            // the health: not ready is the same report, answered 503 so that a load balancer takes the node out
            responses.put("503", Map.of("description", "not ready: the same report", "content",
                    Map.of("application/json", Map.of("schema", ref(operation.answer())))));
        }
        op.put("responses", responses);
        return op;
    }

    /** The sections of {@code openapi.md}: the text under each {@code ## METHOD /path} heading, by that name. */
    static Map<String, String> details() {
        String text;
        try (java.io.InputStream in = OpenApi.class.getResourceAsStream("openapi.md")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = text.split("(?m)^## ");
        for (int i = 1; i < parts.length; i++) {
            int end = parts[i].indexOf('\n');
            sections.put(parts[i].substring(0, end).strip(), parts[i].substring(end + 1).strip());
        }
        return sections;
    }

    private static Map<String, Object> answer(Operation operation) {
        String answer = operation.answer();
        if (answer == null) {
            return Map.of("description", "done; no body");
        }
        if (answer.equals(TEXT)) {
            return Map.of("description", "the text", "content", Map.of(TEXT, Map.of("schema", Map.of("type",
                    "string"))));
        }
        if (answer.equals("binary")) {
            return Map.of("description", "the file, as a download", "content", Map.of("application/octet-stream",
                    Map.of("schema", Map.of("type", "string", "format", "binary"))));
        }
        Object schema = answer.startsWith("[") ? Map.of("type", "array", "items",
                ref(answer.substring(1, answer.length() - 1))) : ref(answer);
        return Map.of("description", "done", "content", Map.of("application/json", Map.of("schema", schema)));
    }

    /** The failures a route may answer, from its method, body and {@link RestHandler.Kind}. */
    private static Map<String, String> errors(RestHandler.Route route, Operation operation) {
        Map<String, String> errors = new TreeMap<>();
        if (route.template().contains("{") || !operation.query().isEmpty() || operation.body() != null) {
            errors.put("400", "the request is malformed; the reason says how");
        }
        if (route.kind() != RestHandler.Kind.PUBLIC) {
            errors.put("401", "no login, or a wrong one");
            errors.put("403", switch (route.kind()) {
                case ADMIN -> "not role admin";
                case SELF -> "neither the user themselves, nor their supervisor, nor an admin";
                default -> "none of the roles admin, supervisor, agent";
            });
        }
        switch (route.kind()) {
            case CONVERSATION, REPLY, CUSTOMER, MERGE, CALLBACK ->
                    errors.put("404", "it does not exist, or it is outside the caller's departments (the same words)");
            default -> {
                if (route.template().contains("{")) {
                    errors.put("404", "it does not exist");
                }
            }
        }
        if (RestHandler.CHANGES.contains(route.method())) {
            errors.put("409", "the change no longer applies");
            errors.put("415", "the body is not Content-Type: application/json");
        }
        if (route.kind() != RestHandler.Kind.SESSION) {
            errors.put("503", "Frontdoor core or the database cannot answer now (Retry-After)");
        }
        return errors;
    }

    private static Map<String, Object> schema(Schema schema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        schema.keys().forEach(k -> properties.put(k, Map.of()));
        return Map.of("type", "object", "required", schema.required(), "properties", properties);
    }

    private static Map<String, Object> ref(String name) {
        if (!SCHEMAS.containsKey(name)) {
            throw new IllegalStateException("no schema " + name);
        }
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
