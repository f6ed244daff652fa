package org.frontdoor.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Callbacks;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.consent.ConsentDesk;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.SlaState;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ModerationFailedException;
import org.frontdoor.api.inbox.IdempotencyKeyReusedException;
import org.frontdoor.api.inbox.InboxUnavailableException;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.api.inbox.ReplyView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the REST resources under {@code /api/v1} do, called by the JAX-RS resource classes of {@link ApiApplication}
 * (which route, let callers in, and answer errors: {@link AccessFilter}, {@link BodyFilter}, {@link Errors}):
 * <ul>
 * <li>{@code GET /conversations?status=&department=&channel=&priority=&tag=&sla=&assignee=&mine=&sort=&offset=&limit=}:
 * each row with its SLA state</li>
 * <li>{@code GET /conversations/counts}: how many conversations each inbox view holds within the caller's scope</li>
 * <li>{@code GET /conversations/{id}}</li>
 * <li>{@code GET /conversations/{id}/why}: the rule that routed it and its reason, the classifiers' annotations, its
 * department changes and assignments with who and when</li>
 * <li>{@code GET /conversations/{id}/messages/{messageId}/attachments/{n}}: the n-th attachment (from 0) of a message,
 * as a download; 410 when its door did not keep it</li>
 * <li>{@code POST /conversations/{id}/replies} with {@code {"text", "visibility": "public"|"private"}}
 * (visibility optional): 202 and the reply; with {@code "via": {"channel", "instance", "handle", "name"}} instead of
 * a visibility it goes out through that door to an identity the customer has confirmed (the customer's preferred
 * channel), in a new thread there. An {@code Idempotency-Key} header (1 to 255 visible ASCII characters, bare or as a
 * quoted string) makes a retry safe: the same key with the same request answers the reply stored first (202, same
 * id), the same key with another request 422, a malformed key 400</li>
 * <li>{@code POST /conversations/{id}/assign} with {@code {"agent"}} (optional: the caller)</li>
 * <li>{@code POST /conversations/{id}/transfer} with {@code {"department"}}</li>
 * <li>{@code POST /conversations/{id}/resolve} with {@code {}} or no body</li>
 * <li>{@code POST /conversations/{id}/reopen} with {@code {}} or no body: a resolved or snoozed conversation back in
 * its department's queue, or with the agent it kept (routed again when it never was); 409 when it is open</li>
 * <li>{@code POST /conversations/{id}/read} with {@code {"upTo": messageId}} (optional: every message so far):
 * {@code {"conversationId", "readUpTo"}}; the mark only moves forward, and a door that can shows it the customer</li>
 * <li>{@code POST /conversations/{id}/typing} with {@code {}} or no body, while the agent writes a reply:
 * {@code {"conversationId", "kept"}}; a repeat within {@value Inbox#TYPING_EVERY_SECONDS} s is not kept</li>
 * <li>{@code POST /conversations/{id}/notes} with {@code {"text"}} (1 to {@value Inbox#MAX_NOTE} characters; its
 * {@code @name} tokens are its mentions): 201 and the internal note, which is never sent to the customer; the
 * conversation lists its notes under {@code "notes"}</li>
 * <li>{@code POST /conversations/{id}/replies/measure} with {@code {"text"}}: 200 and how the conversation's door
 * counts it ({@code length}, {@code unit}, {@code messages}: the SMS segments or posts, {@code maxMessages},
 * {@code fits}, {@code refusal} with how much to cut, {@code visibilities}: how the door can answer), before it is
 * sent; nothing is stored. With {@code "via"} as a reply takes it, as that door counts it</li>
 * <li>{@code POST /replies/{id}/retry} with {@code {}} or no body: 202 and the reply</li>
 * <li>{@code GET /customers/{id}}</li>
 * <li>{@code POST /customers/{id}/consent} (admin)</li>
 * <li>{@code GET /events?after=&limit=&types=&department=}: {@code {"events", "next"}}, ask again with
 * {@code after=next}; {@code types} comma separated ids ({@code routed,resolved}), {@code department} also matches a
 * transfer out of it</li>
 * <li>{@code GET /event-consumers}, role admin: the event log's named consumers, where each stands, how many events
 * its filter still has to take, its lease generation and the events it missed (served by {@link ApiServlet} from the
 * PipelineStatus service)</li>
 * <li>{@code GET /integrations}, role admin: {@code {"integrations": [...]}}, each department integration with its
 * events consumer's position and backlog, what it delivered and parked, its last error (served by {@link ApiServlet}
 * from the IntegrationStatus services)</li>
 * <li>{@code GET /dashboard/queues}, role supervisor or admin: {@code {"at", "departments": [{"department", "new",
 * "queued", "assigned", "snoozed", "waiting", "oldestWaiting", "slaAtRisk", "slaBreached"}]}}, each department of
 * the caller's scope that has open conversations, counted by the database</li>
 * <li>{@code GET /dashboard/volumes?hours=24}, role supervisor or admin: {@code {"since", "hours", "doors":
 * [{"channel", "instance", "counts", "total"}]}}, customer messages per door and hour (1 to 168 hours, the last one
 * the current hour), counting only the conversations of the caller's scope</li>
 * <li>{@code GET /rules}, role admin: {@code {"rules": [{"name", "ranking", "bundle", "serviceId"}]}}, the routing
 * rules registered now, in the order they are asked</li>
 * <li>{@code GET /channels}: every door and its health (served by {@link ApiServlet} from the Channel services)</li>
 * <li>{@code GET /health}, no login needed: 200 ready or 503 not ready, {@code {"status": "UP|DEGRADED|DOWN", "live",
 * "ready", "core", "database", "doors": [{"channel", "instance", "status"}]}}; an admin also gets {@code "problems":
 * [{"part", "state", "reason"}]}: core not running, the database not answering, doors not up, event consumers that
 * missed events or keep failing</li>
 * <li>{@code POST /channels/{channel}/{instance}/check} and {@code /reconnect}, role admin: the door tries its
 * settings now, or connects again now</li>
 * <li>{@code GET /departments} and {@code GET /departments/{id}}: the departments, configured or only seen, with
 * their settings, whether they are open now and when they next open (served by {@link ApiServlet} from the
 * Departments service)</li>
 * <li>{@code GET /openapi.json}: the OpenAPI 3 document of every route here ({@link OpenApi}), which Swagger UI shows
 * at {@code /api/docs}</li>
 * </ul>
 * Every POST, PUT, PATCH and DELETE must say {@code Content-Type: application/json} (415 otherwise): a browser lets
 * any site send a form or text/plain with the user's cached credentials, but never JSON without asking first.
 * What the caller may not see is answered 404, like what does not exist; a change that no longer applies is 409.
 * The routes are the list {@link #ROUTES}, read from the resource classes' annotations, each with the {@link Kind}
 * that says what a caller outside its scope gets (docs/access.md has a row for each).
 */
public final class RestHandler {

    static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    static final int DEFAULT_LIMIT = 50;
    static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * An authenticated request.
     *
     * @param path        the path below {@code /api/v1}
     * @param query       the query parameters (first value of each)
     * @param contentType the Content-Type header, or null
     * @param caller      who asks, with the scope the inbox limits them to
     * @param idempotencyKeys the values of the Idempotency-Key header, one per header line (empty: none)
     */
    record Request(String method, String path, Map<String, String> query, String contentType, byte[] body,
                   Caller caller, List<String> idempotencyKeys) {

        Request {
            Objects.requireNonNull(method, "method");
            query = Map.copyOf(query);
            body = body == null ? new byte[0] : body;
            Objects.requireNonNull(caller, "caller");
            idempotencyKeys = idempotencyKeys == null ? List.of() : List.copyOf(idempotencyKeys);
        }

        Request(String method, String path, Map<String, String> query, String contentType, byte[] body,
                Caller caller) {
            this(method, path, query, contentType, body, caller, List.of());
        }
    }

    /** The header that makes a POST of a reply safe to repeat. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private RestHandler() {
    }

    /**
     * What a route's path names, which decides what a caller outside its scope gets: the reason is always the one
     * for what does not exist, so that a conversation of another department reads exactly like no conversation.
     */
    public enum Kind {
        /** Names a conversation (directly, or through a message or attachment): 404 "no conversation N" outside. */
        CONVERSATION,
        /** Names a reply: 404 "no reply N" when its conversation is outside. */
        REPLY,
        /** Names a customer: 404 "no customer N" when the caller has none of the customer's conversations. */
        CUSTOMER,
        /** Names a merge of customers: 404 "no merge N" when either customer is outside. */
        MERGE,
        /** Names a phone callback task: 404 "no callback task N" when its department is outside. */
        CALLBACK,
        /**
         * Names a user, who may change it themselves; a supervisor of one of their departments and an admin may too:
         * 403 for anyone else.
         */
        SELF,
        /** A list: 200, with only what is within the caller's scope. */
        LIST,
        /**
         * For role supervisor or admin: 403 for an agent, whatever their scope; a supervisor's answer counts only
         * their scope.
         */
        SUPERVISOR,
        /** For role admin: 403 for everyone else, whatever their scope. */
        ADMIN,
        /** Configuration every agent may read (doors, departments): the same for every scope; no customer data. */
        OPEN,
        /**
         * The caller's own browser session ({@code /session}: log in, who am I, log out), served by ApiServlet before
         * the other routes: it answers about the caller alone, whatever their scope.
         */
        SESSION,
        /**
         * No login needed (load balancers, monitors): the same for every caller and nothing sensitive; an admin gets
         * more (the health report's problems).
         */
        PUBLIC
    }

    /** Who asks a {@link Kind#PUBLIC} route without logging in: no role, no department. */
    static final Caller ANONYMOUS = Caller.asUser("anonymous", Set.of(), org.frontdoor.api.Scope.departments(Set.of()));

    /** The services a route may use; any may be null while core is not running. */
    record Services(Inbox inbox, PipelineStatus status, Departments departments, Channels channels,
                    List<org.frontdoor.api.admin.IntegrationStatus> integrations, Callbacks callbacks, Agents agents,
                    org.frontdoor.api.accounts.Accounts accounts, java.util.function.Consumer<String> loginChanged,
                    Instant now, java.util.function.Supplier<String> metrics, ConsentDesk consentDesk) {

        Services {
            integrations = integrations == null ? List.of() : List.copyOf(integrations);
        }

        /** Without consent recorded by hand. */
        Services(Inbox inbox, PipelineStatus status, Departments departments, Channels channels,
                 List<org.frontdoor.api.admin.IntegrationStatus> integrations, Callbacks callbacks, Agents agents,
                 org.frontdoor.api.accounts.Accounts accounts, java.util.function.Consumer<String> loginChanged,
                 Instant now, java.util.function.Supplier<String> metrics) {
            this(inbox, status, departments, channels, integrations, callbacks, agents, accounts, loginChanged, now,
                    metrics, null);
        }

        /** Without the metrics (frontdoor-metrics not installed). */
        Services(Inbox inbox, PipelineStatus status, Departments departments, Channels channels,
                 List<org.frontdoor.api.admin.IntegrationStatus> integrations, Callbacks callbacks, Agents agents,
                 org.frontdoor.api.accounts.Accounts accounts, java.util.function.Consumer<String> loginChanged,
                 Instant now) {
            this(inbox, status, departments, channels, integrations, callbacks, agents, accounts, loginChanged, now,
                    null);
        }

        static Services of(Inbox inbox) {
            return new Services(inbox, null, null, null, List.of(), null, null, null, name -> { }, Instant.now());
        }
    }

    /**
     * One resource and method of the API, as its resource class declares it (JAX-RS annotations and {@link Access}).
     *
     * @param method   the HTTP method
     * @param template the path below {@code /api/v1}, with {@code {name}} for each path parameter
     * @param kind     what it names, and so what a caller outside its scope gets
     */
    record Route(String method, String template, Kind kind, Pattern pattern) {

        Route(String method, String template, Kind kind) {
            this(method, template, kind,
                    Pattern.compile(template.replaceAll("\\{[^/}]+\\}", "([^/]+)") + "/?"));
        }

        /** {@code GET /conversations/{id}}, as the docs name it. */
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /**
     * Every route the API serves, read from the resource classes of {@link ApiApplication#RESOURCES}: the access
     * tests, the OpenAPI document and docs/access.md classify each. A new route is a resource method with its
     * {@link Access}.
     */
    static final List<Route> ROUTES = routes(ApiApplication.RESOURCES);

    /** The routes the resource classes declare, in the order of the classes and their methods' names. */
    static List<Route> routes(List<Class<?>> resources) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> type : resources) {
            String base = path(type.getAnnotation(javax.ws.rs.Path.class));
            java.lang.reflect.Method[] methods = type.getMethods();
            Arrays.sort(methods, java.util.Comparator.comparing(java.lang.reflect.Method::getName));
            for (java.lang.reflect.Method m : methods) {
                String verb = httpMethod(m);
                if (verb == null) {
                    continue;
                }
                Access access = m.getAnnotation(Access.class);
                String template = (base + path(m.getAnnotation(javax.ws.rs.Path.class))).replaceAll("/+", "/");
                if (template.length() > 1 && template.endsWith("/")) {
                    template = template.substring(0, template.length() - 1);
                }
                routes.add(new Route(verb, template, access == null ? null : access.value()));
            }
        }
        return List.copyOf(routes);
    }

    /** The HTTP method a resource method answers, or null for none. */
    static String httpMethod(java.lang.reflect.Method m) {
        for (java.lang.annotation.Annotation a : m.getAnnotations()) {
            javax.ws.rs.HttpMethod verb = a.annotationType().getAnnotation(javax.ws.rs.HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    static String path(javax.ws.rs.Path path) {
        return path == null ? "" : "/" + path.value();
    }

    /**
     * Whether a Content-Type names JSON: {@code application/json} in any case, with parameters, a charset only if it
     * is UTF-8 (JSON between systems is UTF-8, RFC 8259, and is decoded as such).
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }

    interface Action {
        Reply run(Inbox inbox);
    }

    /**
     * Runs a resource's action with the inbox; {@link CoreNotRunning} while core is not running. What it throws is
     * {@link Errors}'s to answer (the words for what does not exist are the route's {@link Access#absent}).
     */
    static Reply serve(Inbox inbox, Action action) {
        if (inbox == null) {
            throw new CoreNotRunning();
        }
        return action.run(inbox);
    }

    /**
     * {@code POST /customers/{id}/consent} {"channel", "handle", "state": "opted-out" or "opted-in", "reason"}: an
     * admin records an identity's consent by hand; answers the customer as it is then.
     */
    static Reply recordConsent(Request r, List<String> p, Services s) {
        long id = parseId(p.get(0), "customer id");
        if (s.consentDesk() == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        return serve(s.inbox(), in -> {
            JsonNode json = object(r.body());
            String channel = text(json, "channel");
            String handle = text(json, "handle");
            String state = text(json, "state");
            String reason = text(json, "reason");
            if (channel == null || handle == null) {
                throw new BadRequest("missing field: channel and handle (the identity, as the customer shows it)");
            }
            if (!"opted-out".equals(state) && !"opted-in".equals(state)) {
                throw new BadRequest("state must be opted-out or opted-in");
            }
            if (reason == null) {
                throw new BadRequest("missing field: reason (shown to every agent and audited)");
            }
            s.consentDesk().record(r.caller(), id, channel, handle, "opted-in".equals(state), reason);
            return found(in.customer(r.caller(), id), "no customer " + id);
        });
    }

    /** A field's text, or null when absent, not text or blank. */
    static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    static String reason(RuntimeException e, String fallback) {
        return e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
    }

    static Reply list(Map<String, String> query, Paging paging, Caller caller, Inbox inbox) {
        ConversationStatus status = null;
        String s = blankToNull(query.get("status"));
        if (s != null) {
            try {
                status = ConversationStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("status must be one of " + Arrays.toString(ConversationStatus.values()));
            }
        }
        int offset = paging.offset();
        int limit = paging.limit(DEFAULT_LIMIT);
        Integer priority = query.containsKey("priority") ? intParam(query, "priority", 0) : null;
        String slaName = blankToNull(query.get("sla"));
        String sortName = blankToNull(query.get("sort"));
        String assignee = blankToNull(query.get("assignee"));
        String mine = blankToNull(query.get("mine"));
        if (mine != null && !mine.equals("true") && !mine.equals("false")) {
            throw new BadRequest("mine must be true or false");
        }
        if ("true".equals(mine)) {
            if (assignee != null && !assignee.equals(caller.name())) {
                throw new BadRequest("mine=true and assignee=" + assignee + " ask for two different agents");
            }
            assignee = caller.name();
        }
        ConversationQuery q;
        try {
            ConversationQuery.Sort sort = sortName == null ? null : switch (sortName.toLowerCase(Locale.ROOT)) {
                case "activity" -> ConversationQuery.Sort.ACTIVITY;
                case "urgency" -> ConversationQuery.Sort.URGENCY;
                default -> throw new IllegalArgumentException("sort must be activity or urgency");
            };
            q = new ConversationQuery(status, blankToNull(query.get("department")), blankToNull(query.get("channel")),
                    priority, blankToNull(query.get("tag")), slaName == null ? null : SlaState.parse(slaName),
                    assignee, sort, offset, limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        Page<ConversationSummary> page = inbox.conversations(caller, q);
        Map<Long, SlaState> sla = page.items().isEmpty() ? Map.of()
                : inbox.sla(caller, page.items().stream().map(ConversationSummary::id).toList());
        // each row as before, with its SLA state ("OK", "AT_RISK", "BREACHED") beside
        List<Map<String, Object>> items = page.items().stream().map(c -> {
            Map<String, Object> row = Json.MAPPER.convertValue(c, ROW);
            row.put("sla", sla.getOrDefault(c.id(), SlaState.OK));
            return row;
        }).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("total", page.total());
        answer.put("offset", page.offset());
        answer.put("limit", page.limit());
        return Reply.ok(answer);
    }

    static final TypeReference<LinkedHashMap<String, Object>> ROW =
            new TypeReference<>() { };


    static Reply events(Map<String, String> query, Paging paging, Caller caller, Inbox inbox) {
        long after = longParam(query, "after", 0);
        if (after < 0) {
            throw new BadRequest("after must be a position from an earlier page, or 0");
        }
        int limit = paging.limit(DEFAULT_LIMIT, ConversationQuery.MAX_LIMIT,
                "limit must be within 1.." + ConversationQuery.MAX_LIMIT);
        EventFilter filter;
        try {
            filter = EventFilter.of(query.get("types"), blankToNull(query.get("department")));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return Reply.ok(inbox.events(caller, after, limit, filter));
    }

    /**
     * {@code GET /event-consumers}: the event log's consumers, for admins (their names and errors tell how the
     * installation's integrations are built).
     *
     * @param status the pipeline's status, or null while core is not running
     */
    /** Prometheus' text exposition format, as its scrapers ask for it. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * {@code GET /metrics} (role admin): every metric in Prometheus' text format (docs/metrics.md); 503 while the
     * {@code frontdoor-metrics} feature is not installed.
     */
    static Reply metrics(String method, Caller caller, java.util.function.Supplier<String> metrics) {
        if (metrics == null) {
            return Reply.error(503, "no metrics are recorded: the feature frontdoor-metrics is not installed")
                    .with("Retry-After", "10");
        }
        return Reply.ok(new Text(PROMETHEUS_TEXT, metrics.get()));
    }

    /** A body sent as it is, with its media type, not as JSON. */
    record Text(String mediaType, String text) {
    }

    static Reply eventConsumers(String method, Caller caller, PipelineStatus status) {
        if (status == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        return Reply.ok(Map.of("consumers", status.eventConsumers().stream().map(RestHandler::consumer).toList()));
    }

    /** {@code GET /dashboard/queues} (role supervisor or admin): each department's queue, within the caller's scope. */
    static Reply queues(Request request, Inbox inbox) {
        return serve(inbox, in -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (org.frontdoor.api.dashboard.DepartmentQueue q : in.queues(request.caller())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("department", q.department());
                row.put("new", q.fresh());
                row.put("queued", q.queued());
                row.put("assigned", q.assigned());
                row.put("snoozed", q.snoozed());
                row.put("waiting", q.waiting());
                row.put("oldestWaiting", q.oldestWaiting());
                row.put("slaAtRisk", q.slaAtRisk());
                row.put("slaBreached", q.slaBreached());
                rows.add(row);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("at", Instant.now());
            answer.put("departments", rows);
            return Reply.ok(answer);
        });
    }

    /** {@code GET /dashboard/volumes?hours=} (role supervisor or admin): messages per door and hour, in scope. */
    static Reply volumes(Request request, Inbox inbox) {
        int hours = intParam(request.query(), "hours", 24);
        if (hours < 1 || hours > org.frontdoor.api.dashboard.Volumes.MAX_HOURS) {
            return Reply.error(400, "hours must be within 1.." + org.frontdoor.api.dashboard.Volumes.MAX_HOURS
                    + ", not " + hours);
        }
        return serve(inbox, in -> {
            org.frontdoor.api.dashboard.Volumes v = in.volumes(request.caller(), hours);
            List<Map<String, Object>> doors = new ArrayList<>();
            for (org.frontdoor.api.dashboard.DoorVolume d : v.doors()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("channel", d.channel());
                row.put("instance", d.instance());
                row.put("counts", d.counts());
                row.put("total", d.total());
                doors.add(row);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("since", v.since());
            answer.put("hours", v.hours());
            answer.put("doors", doors);
            return Reply.ok(answer);
        });
    }


    /** {@code GET /rules} (role admin): the routing rules registered now, in the order they are asked. */
    static Reply rules(Caller caller, PipelineStatus status) {
        if (status == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (org.frontdoor.api.admin.RuleInfo rule : status.rules()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", rule.name());
            row.put("ranking", rule.ranking());
            row.put("bundle", rule.bundle());
            row.put("serviceId", rule.serviceId());
            rows.add(row);
        }
        return Reply.ok(Map.of("rules", rows));
    }

    /**
     * {@code GET /integrations} (role admin): the department integrations, each beside its events consumer's position
     * and backlog (null while core is not running).
     */
    static Reply integrations(String method, Caller caller, List<org.frontdoor.api.admin.IntegrationStatus> integrations,
                              PipelineStatus status) {
        Map<String, EventConsumerInfo> consumers = new java.util.HashMap<>();
        if (status != null) {
            status.eventConsumers().forEach(c -> consumers.putIfAbsent(c.name(), c));
        }
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        integrations.stream().map(org.frontdoor.api.admin.IntegrationStatus::info)
                .sorted(java.util.Comparator.comparing(org.frontdoor.api.admin.IntegrationInfo::name))
                .forEach(i -> {
                    EventConsumerInfo c = consumers.get(i.consumer());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", i.name());
                    row.put("kind", i.kind());
                    row.put("department", i.department());
                    row.put("target", i.target());
                    row.put("consumer", i.consumer());
                    row.put("position", c == null ? null : c.position());
                    row.put("behind", c == null ? null : c.behind());
                    row.put("delivered", i.delivered());
                    row.put("lastDelivered", i.lastDelivered());
                    row.put("parked", i.parked());
                    row.put("lastError", i.lastError() != null ? i.lastError() : c == null ? null : c.lastError());
                    row.put("lastErrorAt", i.lastErrorAt());
                    rows.add(row);
                });
        return Reply.ok(Map.of("integrations", rows));
    }

    /**
     * {@code GET /health}, no login needed: liveness and readiness for load balancers. 200 when this node is ready
     * (core runs and the database answers a query within {@link PipelineStatus#DATABASE_TIMEOUT_MILLIS}), 503 when
     * not; the body says {@code status} (UP, DEGRADED when a door is not up, DOWN when not ready), {@code live},
     * {@code ready}, {@code core}, {@code database} and each door's status, nothing more. An admin caller also gets
     * {@code problems}, each with what to do (the detailed report); {@code ?detail} from anyone else is 403.
     */
    static Reply health(String method, Caller caller, boolean detail, PipelineStatus status,
                        List<org.frontdoor.api.admin.HealthReport.Door> doors) {
        boolean admin = caller.hasRole("admin");
        if (detail && !admin) {
            return Reply.error(403, "the detailed health report is for role admin");
        }
        String databaseProblem = status == null ? null : status.databaseProblem();
        boolean ready = status != null && databaseProblem == null;
        List<Map<String, Object>> doorRows = new java.util.ArrayList<>();
        boolean doorsUp = true;
        List<org.frontdoor.api.admin.HealthReport.Door> sorted = new java.util.ArrayList<>(doors);
        sorted.sort(java.util.Comparator.comparing(org.frontdoor.api.admin.HealthReport.Door::channel,
                java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()))
                .thenComparing(org.frontdoor.api.admin.HealthReport.Door::instance,
                        java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder())));
        for (org.frontdoor.api.admin.HealthReport.Door d : sorted) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("channel", d.channel());
            row.put("instance", d.instance());
            row.put("status", d.health() == null ? "UNKNOWN" : d.health().status().name());
            doorRows.add(row);
            doorsUp &= d.health() != null && d.health().status() == org.frontdoor.api.ChannelHealth.Status.UP;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !ready ? "DOWN" : doorsUp ? "UP" : "DEGRADED");
        body.put("live", true);
        body.put("ready", ready);
        body.put("core", status == null ? "DOWN" : "UP");
        body.put("database", status == null ? "UNKNOWN" : databaseProblem == null ? "UP" : "DOWN");
        body.put("doors", doorRows);
        if (admin) {
            org.frontdoor.api.admin.HealthReport report = org.frontdoor.api.admin.HealthReport.of(status,
                    databaseProblem, doors);
            List<Map<String, Object>> problems = new java.util.ArrayList<>();
            for (org.frontdoor.api.admin.HealthReport.Problem p : report.problems()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("part", p.part());
                row.put("state", p.state().name());
                row.put("reason", p.reason());
                problems.add(row);
            }
            body.put("status", report.state().name());
            body.put("problems", problems);
        }
        Reply reply = new Reply(ready ? 200 : 503, Map.of(), body);
        return ready ? reply : reply.with("Retry-After", "10");
    }

    /**
     * {@code POST /channels/{channel}/{instance}/check} (role admin): the door tries its settings now and says what
     * works and what to fix, {@code {"channel", "instance", "ok", "steps": [{"what", "ok", "detail"}], "status",
     * "reason"}}; {@code /reconnect}: the door connects again now, 202 and its health. 404 for no such door, 409 for
     * a door that has no check.
     */
    static Reply channelCheck(Request r, String channel, String instance, Channels channels, boolean reconnect) {
        object(r.body());
        if (channels == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        org.frontdoor.api.Channel door = channels.find(channel, instance).orElse(null);
        if (door == null) {
            return Reply.error(404, "no door " + channel + "/" + instance + " (see GET /api/v1/channels)");
        }
        if (!(door instanceof org.frontdoor.api.ChannelCheck check)) {
            return Reply.error(409, "the door " + channel + "/" + instance + " has no check (its bundle does not "
                    + "implement org.frontdoor.api.ChannelCheck)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel);
        body.put("instance", instance);
        if (reconnect) {
            LOG.info("{} asked door {}/{} to reconnect", r.caller().name(), channel, instance);
            check.reconnect();
        } else {
            LOG.info("{} checks door {}/{}", r.caller().name(), channel, instance);
            org.frontdoor.api.CheckReport report = check.check();
            body.put("ok", report.ok());
            List<Map<String, Object>> steps = new java.util.ArrayList<>();
            for (org.frontdoor.api.CheckReport.Step step : report.steps()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("what", step.what());
                row.put("ok", step.ok());
                row.put("detail", step.detail());
                steps.add(row);
            }
            body.put("steps", steps);
        }
        org.frontdoor.api.ChannelHealth health;
        try {
            health = door.health();
        } catch (RuntimeException e) {
            health = null;
        }
        body.put("status", health == null ? "UNKNOWN" : health.status().name());
        body.put("reason", health == null ? "its health() failed" : health.reason());
        return new Reply(reconnect ? 202 : 200, Map.of(), body);
    }

    /**
     * {@code GET /departments}: {@code {"departments": [...]}}, every department, configured or only seen;
     * {@code GET /departments/{id}}: one, 404 with the reason when there is none.
     *
     * @param id          the department asked for, or null for every one
     * @param departments the departments, or null while core is not running
     * @param now         what "open now" and the next opening are measured against
     */
    static Reply departments(String method, String id, Departments departments, Instant now) {
        if (departments == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        if (id == null) {
            return Reply.ok(Map.of("departments", departments.list().stream().map(d -> department(d, now)).toList()));
        }
        return departments.get(id).map(d -> Reply.ok(department(d, now)))
                .orElseGet(() -> Reply.error(404, "no department " + id));
    }

    static Map<String, Object> department(Department d, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", d.id());
        row.put("name", d.name());
        row.put("status", d.status().name());
        row.put("reason", d.reason());
        row.put("file", d.source());
        row.put("seen", d.seen());
        BusinessHours hours = d.hours();
        row.put("timeZone", hours == null ? null : hours.zone().getId());
        row.put("businessHours", hours == null ? null : hours.toString());
        row.put("holidays", hours == null ? List.of() : new TreeSet<>(hours.holidays()).stream()
                .map(Object::toString).toList());
        row.put("openNow", hours == null ? null : d.isOpen(now));
        row.put("nextOpening", hours == null ? null : d.nextOpening(now).orElse(null));
        row.put("defaultPriority", d.defaultPriority());
        row.put("firstResponseMinutes", d.firstResponseMinutes());
        row.put("resolutionMinutes", d.resolutionMinutes());
        row.put("readGroups", new TreeSet<>(d.readGroups()));
        row.put("firstResponseByPriority", byPriority(d.sla().firstResponseByPriority()));
        row.put("resolutionByPriority", byPriority(d.sla().resolutionByPriority()));
        row.put("warnAtPercent", d.sla().warnAtPercent());
        row.put("escalation", d.sla().escalation().stream().map(Object::toString).toList());
        row.put("closedReply", d.sla().closedReply());
        row.put("assignment", d.assignment().id());
        return row;
    }

    /** Priorities as JSON keys, in order. */
    static Map<String, Integer> byPriority(Map<Integer, Integer> targets) {
        Map<String, Integer> out = new LinkedHashMap<>();
        targets.forEach((priority, minutes) -> out.put(Integer.toString(priority), minutes));
        return out;
    }

    /**
     * {@code GET /callbacks[?all=true&limit=N]}: the phone callbacks SLA escalations asked for, open ones unless
     * {@code all}; {@code POST /callbacks/{id}/done}: one marked done by the caller.
     */
    static Reply callbacks(Map<String, String> query, Paging paging, Caller caller, Callbacks callbacks) {
        if (callbacks == null) {
            throw new CoreNotRunning();
        }
        String all = query.getOrDefault("all", "false");
        if (!all.equals("true") && !all.equals("false")) {
            throw new BadRequest("all is true or false");
        }
        int limit = paging.limit(100, 1000, "limit is 1 to 1000");
        return Reply.ok(Map.of("callbacks", callbacks.list(caller, !Boolean.parseBoolean(all), limit).stream()
                .map(RestHandler::callback).toList()));
    }

    /** {@code POST /callbacks/{id}/done}: one marked done by the caller. */
    static Reply callbackDone(String id, Caller caller, Callbacks callbacks) {
        if (callbacks == null) {
            throw new CoreNotRunning();
        }
        long taskId;
        try {
            taskId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Reply.error(404, "no callback task " + id);
        }
        try {
            return Reply.ok(callback(callbacks.done(caller, taskId)));
        } catch (java.util.NoSuchElementException e) {
            return Reply.error(404, "no callback task " + taskId);
        } catch (IllegalStateException e) {
            return Reply.error(409, e.getMessage());
        }
    }

    /**
     * {@code POST /callbacks/{id}/call} with {@code {"agentPhone"?, "door"?}}: a door places a call that rings the
     * caller's phone, then the customer's. 200 with the task and its call; 409 with the reason when no door can call,
     * the task is done or has no number, or the provider refused; 503 with Retry-After when the provider could not
     * take it now.
     */
    static Reply callbackCall(String id, byte[] body, Caller caller, Callbacks callbacks) {
        if (callbacks == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        long taskId;
        try {
            taskId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Reply.error(404, "no callback task " + id);
        }
        JsonNode json = body == null || body.length == 0 ? null : object(body);
        String agentPhone = json == null ? null : string(json, "agentPhone");
        String door = json == null ? null : string(json, "door");
        try {
            return Reply.ok(callback(callbacks.call(caller, taskId, door, agentPhone)));
        } catch (java.util.NoSuchElementException e) {
            return Reply.error(404, "no callback task " + taskId);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        } catch (IllegalStateException | org.frontdoor.api.calls.CallRefusedException e) {
            return Reply.error(409, e.getMessage());
        } catch (org.frontdoor.api.calls.CallUnavailableException e) {
            return Reply.error(503, e.getMessage()).with("Retry-After",
                    Long.toString(Math.max(e.retryAfterSeconds(), 1)));
        }
    }

    static Map<String, Object> callback(CallbackTask t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", t.id());
        row.put("conversationId", t.conversationId());
        row.put("department", t.department());
        row.put("customerId", t.customerId());
        row.put("customerName", t.customerName());
        row.put("phone", t.phone());
        row.put("note", t.note());
        row.put("createdAt", t.createdAt());
        row.put("doneBy", t.doneBy());
        row.put("doneAt", t.doneAt());
        row.put("callId", t.callId());
        row.put("calledBy", t.calledBy());
        row.put("calledAt", t.calledAt());
        return row;
    }


    /** {@code POST /agents} (role admin, {@link AgentsApi}): 201 and the agent, where it is. */
    static Reply createAgent(byte[] body, Caller caller, Agents agents) {
        JsonNode json = object(body);
        String named = string(json, "name");
        if (named == null || named.isBlank()) {
            throw new BadRequest("missing field: name (the agent's login name)");
        }
        Agent created = agents.create(agentOf(named.strip(), json, 0), caller.name());
        return new Reply(201, Map.of("Location", "/api/v1/agents/" + java.net.URLEncoder.encode(
                created.name(), StandardCharsets.UTF_8)), agent(created));
    }

    /** {@code PUT /agents/{name}} (role admin): with the {@code version} read; 409 when it is stale. */
    static Reply updateAgent(String name, byte[] body, Caller caller, Agents agents) {
        JsonNode json = object(body);
        JsonNode version = json.get("version");
        if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
            throw new BadRequest("missing field: version (as read with GET; a change against an older one is "
                    + "refused)");
        }
        return Reply.ok(agent(agents.update(agentOf(name, json, version.asLong()), caller.name())));
    }

    /**
     * {@code PUT /agents/{name}/presence}: by the agent themselves, a supervisor of one of their departments, or an
     * admin.
     */
    static Reply setPresence(String name, byte[] body, Caller caller, Agents agents) {
        Presence to = Presence.fromId(Objects.requireNonNullElse(string(object(body), "presence"), ""));
        Agent agent = agents.find(name).orElseThrow();
        boolean own = caller.name().equals(agent.name());
        boolean supervises = caller.hasRole(Agents.SUPERVISOR)
                && agent.departments().stream().anyMatch(caller.scope()::covers);
        if (!own && !supervises && !caller.hasRole(Agents.ADMIN)) {
            return Reply.error(403, caller.name() + " may set their own presence; a supervisor of "
                    + "the agent's department or an admin sets another's");
        }
        return Reply.ok(agent(agents.setPresence(name, to, caller.name())));
    }

    static Agent agentOf(String name, JsonNode json, long version) {
        JsonNode capacity = json.get("capacity");
        if (capacity == null || !capacity.isIntegralNumber() || !capacity.canConvertToInt()) {
            throw new BadRequest("missing field: capacity (the most open conversations given to the agent at once)");
        }
        return new Agent(name, string(json, "displayName"), strings(json, "departments"), strings(json, "skills"),
                strings(json, "languages"), capacity.asInt(), null, null, version, 0);
    }

    /** An array of strings; empty when absent. */
    static Set<String> strings(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw new BadRequest(field + " must be an array of strings");
        }
        Set<String> out = new TreeSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new BadRequest(field + " must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    static Map<String, Object> agent(Agent a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", a.name());
        row.put("displayName", a.displayName());
        row.put("departments", a.departments());
        row.put("skills", a.skills());
        row.put("languages", a.languages());
        row.put("capacity", a.capacity());
        row.put("open", a.open());
        row.put("presence", a.presence().id());
        row.put("presenceAt", a.presenceAt());
        row.put("version", a.version());
        return row;
    }

    static Map<String, Object> consumer(EventConsumerInfo c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", c.name());
        row.put("position", c.position());
        row.put("behind", c.behind());
        row.put("types", c.types());
        row.put("department", c.department());
        row.put("node", c.node());
        row.put("generation", c.generation());
        row.put("leaseUntil", c.leaseUntil());
        row.put("movedAt", c.movedAt());
        row.put("missedFrom", c.missedEvents() ? c.missedFrom() : null);
        row.put("missedTo", c.missedEvents() ? c.missedTo() : null);
        row.put("lastError", c.lastError());
        return row;
    }

    static Reply reply(long conversationId, Request request, Inbox inbox) {
        String key = idempotencyKey(request.idempotencyKeys());
        JsonNode json = object(request.body());
        String text = string(json, "text");
        if (text == null || text.isBlank()) {
            throw new BadRequest("missing field: text");
        }
        ReplyRoute via = via(json);
        if (via != null) {
            return queued(inbox.replyVia(request.caller(), conversationId, text, via, key));
        }
        return queued(inbox.reply(request.caller(), conversationId, text, visibility(json), key));
    }

    /** A reply's {@code via}, or null without one; refused when malformed or given with a visibility. */
    static ReplyRoute via(JsonNode json) {
        JsonNode via = json.get("via");
        if (via == null || via.isNull()) {
            return null;
        }
        if (!via.isObject()) {
            throw new BadRequest("via must be an object: {\"channel\", \"instance\", \"handle\"}");
        }
        if (json.hasNonNull("visibility")) {
            throw new BadRequest("a reply via another door is private: leave out visibility");
        }
        String channel = required(via, "channel");
        String instance = required(via, "instance");
        String handle = required(via, "handle");
        Identity recipient = new Identity(channel, handle, string(via, "name"), null, null, 0);
        return new ReplyRoute(channel, instance, recipient);
    }

    /**
     * The Idempotency-Key, or null without one: a token or a quoted string (a Structured Field string) of 1 to 255
     * visible ASCII characters; refused when malformed or given twice.
     */
    static String idempotencyKey(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadRequest("send one " + IDEMPOTENCY_KEY + " header, not " + values.size());
        }
        String key = values.get(0).strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > Inbox.MAX_IDEMPOTENCY_KEY
                || !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != ',')) {
            throw new BadRequest(IDEMPOTENCY_KEY + " must be 1 to " + Inbox.MAX_IDEMPOTENCY_KEY + " visible ASCII "
                    + "characters without quotes, commas or backslashes (a UUID does), bare or in double quotes");
        }
        return key;
    }

    static String required(JsonNode json, String field) {
        String value = string(json, field);
        if (value == null || value.isBlank()) {
            throw new BadRequest("missing field: via." + field);
        }
        return value.strip();
    }

    /** A message id in a field: a positive whole number, or 0 when the field is absent or null. */
    static long messageId(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
            throw new BadRequest(field + " must be a message id (a positive whole number), or be left out for the latest"
                    + " message");
        }
        return value.asLong();
    }

    static Reply assign(long conversationId, Request request, Inbox inbox) {
        String agent = string(object(request.body()), "agent");
        if (agent != null && agent.isBlank()) {
            throw new BadRequest("agent must name an agent, or be left out to take the conversation yourself");
        }
        Caller caller = request.caller();
        return Reply.ok(inbox.assign(caller, conversationId, agent == null ? caller.name() : agent.strip()));
    }

    /** {@code {"until": "2026-12-24T09:00:00Z"}}: an ISO instant (with its offset) in the future. */
    static Reply snooze(long conversationId, Request request, Inbox inbox) {
        String until = string(object(request.body()), "until");
        if (until == null || until.isBlank()) {
            throw new BadRequest("missing field: until (an ISO time with its offset, such as 2026-12-24T09:00:00Z)");
        }
        Instant at;
        try {
            at = java.time.OffsetDateTime.parse(until.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadRequest("until must be an ISO time with its offset, such as 2026-12-24T09:00:00Z");
        }
        return Reply.ok(inbox.snooze(request.caller(), conversationId, at));
    }

    static Reply transfer(long conversationId, Request request, Inbox inbox) {
        String department = string(object(request.body()), "department");
        if (department == null || department.isBlank()) {
            throw new BadRequest("missing field: department");
        }
        return Reply.ok(inbox.transfer(request.caller(), conversationId, department.strip()));
    }

    /** 202: the reply is stored, and goes out later; its status shows in its conversation. */
    static Reply note(long conversationId, Request request, Inbox inbox) {
        String text = string(object(request.body()), "text");
        if (text == null || text.isBlank()) {
            throw new BadRequest("missing field: text");
        }
        if (text.length() > Inbox.MAX_NOTE) {
            throw new BadRequest("a note is at most " + Inbox.MAX_NOTE + " characters");
        }
        NoteView note = inbox.addNote(request.caller(), conversationId, text);
        return new Reply(201, Map.of("Location", "/api/v1/conversations/" + conversationId), note);
    }

    /**
     * {@code POST /conversations/{id}/messages/{messageId}/hide} and {@code /unhide} (role admin, a reason): 200 with
     * the message as it is now; 400 without a reason; 409 when the message or its door cannot; 422 when the network
     * refused it for good, 503 when it could not answer now (nothing recorded in either case).
     */
    static Reply moderate(Request request, List<String> params, Inbox inbox, boolean hide) {
        long id = parseId(params.get(0), "conversation id");
        long messageId = parseId(params.get(1), "message id");
        return serve(inbox, in -> {
            String reason = string(object(request.body()), "reason");
            if (reason == null || reason.isBlank()) {
                throw new BadRequest("missing field: reason (why the message is " + (hide ? "hidden" : "shown again")
                        + "; it is recorded and shown to agents)");
            }
            try {
                return Reply.ok(hide ? in.hide(request.caller(), id, messageId, reason)
                        : in.unhide(request.caller(), id, messageId, reason));
            } catch (ModerationFailedException e) {
                return e.passing() ? Reply.error(503, e.getMessage()).with("Retry-After", "30")
                        : Reply.error(422, e.getMessage());
            } catch (SecurityException e) {
                return Reply.error(403, e.getMessage());
            } catch (NoSuchElementException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("message ")) {
                    return Reply.error(404, "no message " + messageId + " in conversation " + id);
                }
                throw e;
            }
        });
    }

    static Reply queued(ReplyView reply) {
        return new Reply(202, Map.of("Location", "/api/v1/conversations/" + reply.conversationId()), reply);
    }

    static Visibility visibility(JsonNode json) {
        String v = string(json, "visibility");
        if (v == null) {
            return null;
        }
        for (Visibility visibility : Visibility.values()) {
            if (visibility.name().equalsIgnoreCase(v.strip())) {
                return visibility;
            }
        }
        throw new BadRequest("visibility must be \"public\" or \"private\", or left out");
    }

    /** The body as a JSON object; no body at all is an empty object. Unknown fields are there to be ignored. */
    static JsonNode object(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest("the body must be a JSON object, such as {\"text\": \"...\"}");
        }
        return json;
    }

    /** A string field; null when absent or JSON null. */
    static String string(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(field + " must be a string");
        }
        return value.asText();
    }

    static Reply found(Optional<?> value, String absent) {
        return value.<Reply>map(Reply::ok).orElseGet(() -> Reply.error(404, absent));
    }

    /**
     * The n-th attachment of a message: 404 "no conversation N" when the conversation is not the caller's (as when it
     * does not exist), a 404 naming the message and index when the conversation has no such attachment.
     */
    static Reply attachment(Inbox inbox, Caller caller, long conversationId, long messageId, int n) {
        org.frontdoor.api.inbox.ConversationDetail conversation = inbox.conversation(caller, conversationId)
                .orElseThrow(() -> new NoSuchElementException("no conversation " + conversationId));
        Optional<Attachment> attachment = conversation.messages().stream().filter(msg -> msg.id() == messageId)
                .findFirst()
                .filter(msg -> n < msg.attachments().size())
                .map(msg -> msg.attachments().get(n));
        if (attachment.isEmpty()) {
            return Reply.error(404, "no attachment " + n + " of message " + messageId + " in conversation "
                    + conversationId);
        }
        Attachment a = attachment.get();
        if (a.blobRef() == null) {
            // a door that fetches files after the commit (X, Telegram) fills the content in a little later
            return Reply.error(410, "the attachment was sent but is not kept: its door is still fetching it, or "
                    + "refused it (its type " + a.mediaType() + " or its size, " + a.size()
                    + " bytes, is over the door's limits, or the vendor would not serve it)");
        }
        return Reply.ok(new Download(a.name(), a.mediaType(), a.size(), a.blobRef()));
    }


    /** An index from the path, 0 or more. */
    static long parseIndex(String raw) {
        try {
            long n = Long.parseLong(raw);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new BadRequest("'" + raw + "' is not an attachment index (0 for the first)");
    }

    /** A positive id from the path; anything else is refused naming what it should have been. */
    static long parseId(String id, String what) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest("'" + id + "' is not a " + what);
    }

    /**
     * A raw query string to its parameters, decoded as UTF-8; the first value of a repeated name wins.
     *
     * @throws BadRequest on a malformed escape
     */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query string: " + e.getMessage());
            }
        }
        return query;
    }

    static int intParam(Map<String, String> query, String name, int fallback) {
        long value = longParam(query, name, fallback);
        if (value != (int) value) {
            throw new BadRequest(name + " is out of range");
        }
        return (int) value;
    }

    static long longParam(Map<String, String> query, String name, long fallback) {
        String v = blankToNull(query.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number");
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Core is not running (a service the route needs is absent): 503 with Retry-After 10, by {@link Errors}. */
    static final class CoreNotRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CoreNotRunning() {
            super("Frontdoor core is not running");
        }
    }

    /** A request the client must correct; its message says how. */
    static final class BadRequest extends RuntimeException {
        static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
