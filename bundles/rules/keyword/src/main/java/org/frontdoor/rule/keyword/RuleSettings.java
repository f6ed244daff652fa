package org.frontdoor.rule.keyword;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;

/**
 * One keyword rule's configuration, checked, and the decision it makes. Immutable: a changed configuration is a new
 * {@code RuleSettings}, so a decision under way sees either the old settings or the new ones, never a mix.
 *
 * @param name       the rule's name in rule-list and the audit trail
 * @param department where a matching conversation goes
 * @param keywords   words and phrases looked for; may be empty when {@code annotation} is set
 * @param channels   the channel ids looked at (lower case), all when empty
 * @param match      which messages are searched
 * @param annotation what a classifier must have found, or null
 * @param priority   the decision's priority, 0 and up
 * @param skill      the decision's skill, or null
 * @param ranking    the rule's service.ranking
 */
record RuleSettings(String name, String department, Keywords keywords, Set<String> channels, Match match,
                    AnnotationFilter annotation, int priority, String skill, int ranking) {

    /** The store keeps department and skill ids of up to 64 characters, rule names of up to 255. */
    static final int MAX_ID = 64;
    static final int MAX_NAME = 255;

    /** Which messages of the conversation are searched. */
    enum Match {
        /** The message being routed. */
        LATEST,
        /** Any of the conversation's latest messages given to rules ({@link RoutingContext#messages()}). */
        CONVERSATION
    }

    /**
     * Reads a configuration.
     *
     * @param properties the configuration's properties, for the name of the file it came from and the values as
     *                   they were written
     * @throws IllegalArgumentException the configuration cannot make a rule: the message says why and names its file
     */
    static RuleSettings from(KeywordRuleConfig config, Map<String, Object> properties) {
        String source = source(properties);
        String department = id(config.department(), "department", source);
        if (department == null) {
            throw refused(source, "no department: set 'department' to the department the matching conversations "
                    + "go to");
        }
        Keywords keywords = Keywords.of(config.keywords());
        AnnotationFilter annotation = AnnotationFilter.parse(config.annotation(), source);
        if (keywords.isEmpty() && annotation == null) {
            throw refused(source, "nothing to look for: set 'keywords', 'annotation' or both");
        }
        int priority = integer(properties, "priority", config::priority, source);
        if (priority < 0) {
            throw refused(source, "priority must be 0 or more, not " + priority);
        }
        return new RuleSettings(name(config.name(), properties), department, keywords, channels(config.channels()),
                match(config.match(), source), annotation, priority, id(config.skill(), "skill", source),
                integer(properties, "service.ranking", config::service_ranking, source));
    }

    /**
     * The department when the conversation's messages match, else nothing: pure, it looks at its arguments only.
     *
     * @param latest  the message being routed
     * @param context its conversation
     */
    Optional<RoutingDecision> decide(Message latest, RoutingContext context) {
        if (!channels.isEmpty() && !channels.contains(latest.channel().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        List<Message> searched = match == Match.LATEST ? List.of(latest) : conversation(latest, context);
        if (!keywords.isEmpty() && searched.stream().noneMatch(m -> keywords.foundIn(m.text()))) {
            return Optional.empty();
        }
        if (annotation != null && searched.stream().noneMatch(m -> annotation.foundIn(m.annotations()))) {
            return Optional.empty();
        }
        return Optional.of(new RoutingDecision(department, priority, skill, name, reason()));
    }

    private static List<Message> conversation(Message latest, RoutingContext context) {
        if (context.messages().contains(latest)) {
            return context.messages();
        }
        List<Message> all = new ArrayList<>(context.messages());
        all.add(latest);
        return all;
    }

    /**
     * A classifier's finding the rule asks for: {@code sentiment=negative} is an annotation named {@code sentiment}
     * with the value {@code negative}, both compared whatever their case.
     */
    record AnnotationFilter(String name, String value) {

        static AnnotationFilter parse(String filter, String source) {
            if (filter == null || filter.isBlank()) {
                return null;
            }
            int eq = filter.indexOf('=');
            String name = eq < 0 ? "" : Keywords.fold(filter.substring(0, eq));
            String value = eq < 0 ? "" : Keywords.fold(filter.substring(eq + 1));
            if (name.isEmpty() || value.isEmpty()) {
                throw refused(source, "annotation must read name=value, such as sentiment=negative, not '"
                        + filter.strip() + "'");
            }
            return new AnnotationFilter(name, value);
        }

        boolean foundIn(List<Annotation> annotations) {
            for (Annotation a : annotations) {
                if (name.equals(Keywords.fold(a.name())) && value.equals(Keywords.fold(a.value()))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    /** The rule's name: explicit, else from the factory configuration's name or its file name. */
    static String name(String explicit, Map<String, Object> properties) {
        String name = explicit == null || explicit.isBlank() ? instanceName(properties) : explicit.strip();
        if (name.length() > MAX_NAME) {
            throw refused(source(properties), "the name takes at most " + MAX_NAME + " characters");
        }
        return name;
    }

    private static String instanceName(Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(KeywordRule.FACTORY_PID, properties).filter(n -> !n.isEmpty())
                .orElseThrow(() -> refused(source(properties), "cannot tell the rule's name: name the file "
                        + KeywordRule.FACTORY_PID + "-<name>.cfg or set 'name'"));
    }

    /** Where the configuration came from, for messages an admin acts on: its file, else its PID. */
    static String source(Map<String, Object> properties) {
        return FactoryConfigurations.source(properties);
    }

    static IllegalArgumentException refused(String source, String reason) {
        return new IllegalArgumentException("keyword rule " + source + " refused: " + reason);
    }

    private static String id(String value, String key, String source) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String id = value.strip();
        if (id.length() > MAX_ID) {
            throw refused(source, key + " takes at most " + MAX_ID + " characters: '" + id + "'");
        }
        return id;
    }

    private static Set<String> channels(String[] values) {
        Set<String> channels = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                for (String channel : value == null ? new String[0] : value.split(",")) {
                    if (!channel.isBlank()) {
                        channels.add(channel.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return Set.copyOf(channels);
    }

    private static Match match(String value, String source) {
        String m = value == null ? "" : value.strip();
        for (Match candidate : Match.values()) {
            if (candidate.name().equalsIgnoreCase(m)) {
                return candidate;
            }
        }
        throw refused(source, "match must be latest or conversation, not '" + m + "'");
    }

    /**
     * A whole number as the configuration holds it: an Integer (or Long) from typed configuration, a String from a
     * {@code .cfg} file; the annotation's default when absent. Read here rather than through the typed
     * configuration so that "high" is refused instead of becoming 0.
     */
    private static int integer(Map<String, Object> properties, String key, IntSupplier fallback, String source) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback.getAsInt();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException notANumber) {
                // refused below
            }
        }
        throw refused(source, key + " must be a whole number, not '" + value + "'");
    }

    @Override
    public String toString() {
        return name + " -> " + department + " (keywords [" + keywords + "]"
                + (annotation == null ? "" : ", annotation " + annotation)
                + (channels.isEmpty() ? "" : ", channels " + channels)
                + ", match " + match.name().toLowerCase(Locale.ROOT) + ", priority " + priority
                + (skill == null ? "" : ", skill " + skill) + ", ranking " + ranking + ")";
    }

    /** Why this rule claims a conversation, for the why view: what it looked for, and where. */
    String reason() {
        String where = match == Match.LATEST ? "the latest message" : "the conversation's latest messages";
        StringBuilder r = new StringBuilder();
        if (!keywords.isEmpty()) {
            r.append("one of its keywords (").append(keywords).append(") in ").append(where);
        }
        if (annotation != null) {
            r.append(r.length() == 0 ? "" : ", and ").append("the annotation ").append(annotation).append(" on ")
                    .append(where);
        }
        return r.toString();
    }
}
