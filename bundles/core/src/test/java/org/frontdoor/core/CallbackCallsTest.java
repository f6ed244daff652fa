package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Scope;
import org.frontdoor.api.calls.CallRefusedException;
import org.frontdoor.api.calls.CallUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A call placed from a callback task (Callbacks.call) on the real store, H2 and PostgreSQL: only in the caller's scope,
 * only for an open task with a number, through the one door that can call, recorded (task, event, audit) only once the
 * door's provider accepted it; a refusal is audited and leaves the task as it was.
 */
class CallbackCallsTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private ScopeFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void anAgentOfTheDepartmentPlacesTheCallAndItIsRecordedWithItsEventAndAudit(String kind) throws Exception {
        f = ScopeFixture.create(kind);
        long head = f.store.head();
        CallbackTask called = f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, " +15550123 ");
        assertThat(called.callId()).isEqualTo("CA1");
        assertThat(called.calledBy()).isEqualTo("sue");
        assertThat(called.calledAt()).isNotNull();
        assertThat(called.open()).as("the agent marks it done after the talk").isTrue();
        assertThat(f.phone.asked).singleElement().satisfies(r -> {
            assertThat(r.customerNumber()).isEqualTo("+15550001");
            assertThat(r.agent()).isEqualTo("sue");
            assertThat(r.agentNumber()).isEqualTo("+15550123");
            assertThat(r.reference()).isEqualTo("callback task " + f.supportCallback);
        });
        assertThat(f.callbacks.list(ScopeFixture.SUPPORT, true, 10)).singleElement()
                .satisfies(t -> assertThat(t.callId()).isEqualTo("CA1"));
        List<ConversationEvent> events = f.store.events(Scope.ALL, head, 100, EventFilter.ALL).events();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ConversationEvent.Type.CALL_PLACED);
            assertThat(e.conversationId()).isEqualTo(f.supportConversation);
            assertThat(e.actor()).isEqualTo("sue");
            assertThat(e.detail()).isEqualTo("callback task " + f.supportCallback + ": call CA1 placed through "
                    + "voice/desk");
        });
        assertThat(audit()).contains("sue callback.called callback task " + f.supportCallback
                + ": call CA1 placed through voice/desk");

        // the task may be called again (nobody answered); a done one may not
        assertThat(f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, "voice/desk", null).callId())
                .isEqualTo("CA2");
        f.callbacks.done(ScopeFixture.SUPPORT, f.supportCallback);
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, null))
                .isInstanceOf(IllegalStateException.class).hasMessage("callback task " + f.supportCallback
                        + " is done already");
        assertThat(f.phone.asked).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void outsideTheScopeOrWithBadInputNothingIsAskedOfTheDoor(String kind) throws Exception {
        f = ScopeFixture.create(kind);
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SALES, f.supportCallback, null, null))
                .isInstanceOf(NoSuchElementException.class).hasMessage("no callback task " + f.supportCallback);
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, 424242, null, null))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, "call me"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agentPhone is not a phone number");
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, "sms/main", null))
                .isInstanceOf(CallRefusedException.class)
                .hasMessage("door sms/main cannot place calls; these can: voice/desk");
        f.phone.canCall = false;
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, null))
                .isInstanceOf(CallRefusedException.class).hasMessageStartingWith("no door can place calls");
        assertThat(f.phone.asked).isEmpty();
        assertThat(f.callbacks.list(ScopeFixture.ADMIN, false, 10)).allSatisfy(t -> assertThat(t.callId()).isNull());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRefusalOrAnOutageIsAuditedAndLeavesTheTaskWithoutACall(String kind) throws Exception {
        f = ScopeFixture.create(kind);
        long head = f.store.head();
        f.phone.failure = new CallRefusedException("the provider answered 400 (error 21215): not permitted");
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, null))
                .isInstanceOf(CallRefusedException.class).hasMessageContaining("21215");
        f.phone.failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> f.callbacks.call(ScopeFixture.SUPPORT, f.supportCallback, null, null))
                .isInstanceOf(CallUnavailableException.class)
                .hasMessage("door voice/desk failed to place the call: java.lang.IllegalStateException: boom");
        assertThat(f.callbacks.list(ScopeFixture.SUPPORT, true, 10)).singleElement()
                .satisfies(t -> assertThat(t.callId()).isNull());
        assertThat(f.store.events(Scope.ALL, head, 100, EventFilter.ALL).events()).isEmpty();
        assertThat(audit()).contains("sue callback.call-failed callback task " + f.supportCallback
                + ": voice/desk: the provider answered 400 (error 21215): not permitted");
    }

    private List<String> audit() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = f.db().dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT actor, action, detail FROM audit_event "
                     + "WHERE action LIKE 'callback.%' ORDER BY id");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }
}
