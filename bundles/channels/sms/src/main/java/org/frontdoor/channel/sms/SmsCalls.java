package org.frontdoor.channel.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.calls.CallRefusedException;
import org.frontdoor.api.calls.CallRequest;
import org.frontdoor.api.calls.CallUnavailableException;
import org.frontdoor.api.calls.PlacedCall;

/**
 * The call of a callback task through the Calls API: {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json} with
 * {@code To} the agent's phone, {@code From} the instance's number and {@code Twiml} that, once the agent answers,
 * says which task it is and dials the customer with the instance's number as caller id. The agent's phone rings first
 * so that the customer never answers to a wait; the customer sees the number they texted.
 *
 * <p>Outcomes as for replies: 201 gives the CallSid; 429 gives the call back to the agent with the provider's
 * Retry-After, and nothing is sent before that time; 401 (Twilio's 20003) turns the instance AUTH_EXPIRED and says
 * so; another 4xx (21215: a number the account may not call, 21211: not a valid number) is a refusal with Twilio's
 * words; 5xx and no answer may work later.
 */
final class SmsCalls {

    private SmsCalls() {
    }

    static PlacedCall call(SmsInstance instance, CallRequest request) throws InterruptedException {
        if (!instance.canCall()) {
            throw new CallRefusedException("SMS channel instance " + instance.instance() + " cannot place calls: "
                    + (instance.usable() ? "it sends from a Messaging Service; set 'fromNumber' to a voice number"
                    : instance.health().reason()));
        }
        ChannelHealth health = instance.health();
        if (health.status() == ChannelHealth.Status.AUTH_EXPIRED) {
            throw new CallUnavailableException(health.reason(), 0);
        }
        String customer = PhoneNumbers.normalize(request.customerNumber(), instance.defaultCountryCode());
        if (!PhoneNumbers.isE164(customer)) {
            throw new CallRefusedException("the customer's number " + request.customerNumber() + " is not a full "
                    + "international number (+ and country code): the provider cannot call it");
        }
        String given = request.agentNumber() != null ? request.agentNumber() : instance.agentPhone(request.agent());
        if (given == null) {
            throw new CallRefusedException("no phone for agent " + request.agent() + ": give agentPhone, or set "
                    + "'agentPhones' (" + request.agent() + "=+14155552671) in " + instance.source());
        }
        String agent = PhoneNumbers.normalize(given, instance.defaultCountryCode());
        if (!PhoneNumbers.isE164(agent)) {
            throw new CallRefusedException("the agent's phone " + given + " is not a full international number "
                    + "(+ and country code)");
        }
        Instant now = instance.clock().instant();
        if (now.isBefore(instance.notBefore())) {
            long wait = Duration.between(now, instance.notBefore()).toSeconds() + 1;
            throw new CallUnavailableException("the SMS provider asked to wait: try the call again in " + wait + " s",
                    wait);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", agent);
        form.put("From", instance.from());
        form.put("Twiml", twiml(request.reference(), customer, instance.from()));
        try {
            String sid = instance.api().create("Calls", form).path("sid").asText("");
            instance.succeeded();
            if (!sid.matches("[A-Za-z0-9]{2,64}")) {
                throw new CallUnavailableException("the SMS provider took the call but gave no call id", 0);
            }
            return new PlacedCall(sid, agent, instance.from());
        } catch (TwilioApi.Failure f) {
            instance.failed(f);
            switch (f.kind()) {
                case RATE_LIMITED -> {
                    instance.rateLimited(f.retryAfterSeconds());
                    throw new CallUnavailableException(f.getMessage() + "; try the call again in "
                            + f.retryAfterSeconds() + " s", f.retryAfterSeconds());
                }
                case AUTH_REFUSED -> throw new CallUnavailableException(f.getMessage() + ": no call until an admin "
                        + "sets the current Auth Token for SMS channel instance " + instance.instance(), 0);
                case REFUSED -> throw new CallRefusedException(f.getMessage());
                default -> throw new CallUnavailableException(f.getMessage(), 0);
            }
        }
    }

    /** What the agent hears, then the dial to the customer, the instance's number shown to them. */
    static String twiml(String reference, String customer, String from) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Frontdoor " + xml(reference)
                + ". Connecting you to the customer.</Say><Dial callerId=\"" + xml(from) + "\" timeout=\"30\"><Number>"
                + xml(customer) + "</Number></Dial></Response>";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
