package org.frontdoor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.admin.FoundAnnotation;
import org.frontdoor.api.admin.RuleAnswer;
import org.frontdoor.api.admin.RuleTestRequest;
import org.frontdoor.api.admin.RuleTestResult;
import org.frontdoor.api.admin.RuleTester;
import org.frontdoor.store.Door;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code frontdoor:rule-test}: the routing stage's own classifiers and rules, asked about a made-up message as they
 * are about a claimed conversation. Nothing reaches the store.
 */
@Component(service = RuleTester.class)
public class RuleTesterService implements RuleTester {

    /** The author's handle when none is given. */
    static final String AUTHOR = "rule-test";
    /** The instance of a made-up message for a channel with no door running. */
    static final String INSTANCE = "test";
    /** The annotation the e-mail door puts a mail's subject in. */
    static final String SUBJECT = "subject";

    private final RoutingStage routing;
    private final Doors doors;

    @Activate
    public RuleTesterService(@Reference Pipeline pipeline) {
        this(pipeline.routing(), pipeline.doors());
    }

    RuleTesterService(RoutingStage routing, Doors doors) {
        this.routing = routing;
        this.doors = doors;
    }

    @Override
    public RuleTestResult test(Caller caller, RuleTestRequest request) {
        Objects.requireNonNull(request, "request");
        if (!caller.hasRole("admin") && !caller.hasRole("supervisor") && !caller.hasRole(Caller.SYSTEM_ROLE)) {
            throw new SecurityException("Testing the routing rules is for admins and supervisors");
        }
        String channel = request.channel().strip();
        List<String> notes = new ArrayList<>();
        String instance = instance(channel, request.instance());
        Door door = new Door(channel, instance);
        Optional<Doors.Registered> running = doors.get(door);
        if (running.isEmpty()) {
            notes.add((request.instance() == null || request.instance().isBlank()
                    ? "No door of channel " + channel + " is running"
                    : "Door " + door + " is not running") + ": its limits (public or private) are not checked");
        } else {
            try {
                InboxService.visibility(request.visibility(), request.visibility(),
                        running.get().channel().capabilities(), "Door " + door);
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage() + ": its answer would not be " + request.visibility().name().toLowerCase());
            } catch (RuntimeException e) {
                notes.add("Door " + door + " cannot tell its capabilities: its limits are not checked");
            }
        }
        String author = request.author() == null || request.author().isBlank() ? AUTHOR : request.author().strip();
        List<Annotation> given = request.subject() == null || request.subject().isBlank() ? List.of()
                : List.of(new Annotation(SUBJECT, request.subject().strip(), 1.0));
        Message message = Message.inbound(channel, instance).externalId(AUTHOR).visibility(request.visibility())
                .author(Identity.of(channel, author)).text(request.text()).annotations(given).build();
        MessageLimits.check(message);

        RoutingStage.Trial trial = routing.trial(message);
        notes.addAll(trial.classifiersLeftOut());
        List<RuleAnswer> answers = trial.answers().stream().map(a -> new RuleAnswer(RuleRegistry.name(a.entry().rule()),
                a.entry().ranking(), a.entry().serviceId(), a.entry().bundle(), a.decision(),
                a.error() == null ? null : a.error().toString())).toList();
        List<FoundAnnotation> annotations = trial.annotations().stream()
                .map(a -> new FoundAnnotation(a.source(), a.annotation())).toList();
        return new RuleTestResult(door.toString(), answers, annotations, trial.decision(), trial.byDefault(), notes);
    }

    /** The instance asked for, else the channel's first running door, else a made-up one. */
    private String instance(String channel, String asked) {
        if (asked != null && !asked.isBlank()) {
            return asked.strip();
        }
        List<String> running = doors.instances(channel);
        return running.isEmpty() ? INSTANCE : running.get(0);
    }
}
