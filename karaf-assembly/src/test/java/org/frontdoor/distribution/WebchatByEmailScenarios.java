package org.frontdoor.distribution;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web chat and the e-mail door together, as a customer uses them: Ann wrote by e-mail before; in the chat she gives
 * her address and types the code the e-mail door sent her, which confirms it and asks an agent to join her two
 * customers (a proof never merges by itself); the agent merges them; an agent's reply while she is in the chat shows
 * there only; once she has left, the next one reaches her by e-mail; the merge can be undone.
 * Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class WebchatByEmailScenarios {

    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String ANN = "ann@example.org";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private Database database;
    private Distribution frontdoor;
    private MailServer mail;
    private WebchatSite site;
    private Browser browser;
    private long mailConversation;
    private long chatConversation;
    private long mergeId;

    abstract Database database() throws Exception;

    @BeforeAll
    void boot() throws Exception {
        // GreenMail's connection threads throw when the server is stopped under a connected client: that is the
        // peer's noise, not a failure of the await that happens to run meanwhile (Awaitility would report it as one)
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        database = database();
        mail = new MailServer();
        frontdoor = new Distribution(getClass().getSimpleName(), database, "it-secret-" + UUID.randomUUID(),
                URI.create("http://127.0.0.1:9/unused")).start();
        site = new WebchatSite(frontdoor.url("/webchat/site/widget.js"));
        frontdoor.writeEtc("org.frontdoor.channel.email-support.cfg", mail.cfg(MailServer.PASSWORD));
        frontdoor.writeEtc("org.frontdoor.channel.webchat-site.cfg", "allowedOrigins = " + site.origin() + "\n"
                + "confirmVia = support\nemailWhenGoneAfterSeconds = 1\n");
        frontdoor.shell("feature:install frontdoor-channel-email frontdoor-channel-webchat");
        await("both doors UP").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> {
                    JsonNode channels = frontdoor.get("/api/v1/channels").json();
                    long up = 0;
                    for (JsonNode c : channels) {
                        up += "UP".equals(c.path("status").asText()) ? 1 : 0;
                    }
                    return up == 3 && frontdoor.request("GET", "/webchat/site/widget.js", null, Map.of())
                            .status() == 200;
                });
        browser = new Browser();
    }

    @AfterAll
    void shutdown() throws Exception {
        Awaitility.reset();
        try (Database db = database; Distribution d = frontdoor; MailServer m = mail; WebchatSite s = site;
             Browser b = browser) {
            if (d != null) {
                assertThat(d.logProblems()).as("errors in karaf.log").isEmpty();
                assertThat(d.log()).as("the confirmed address in karaf.log").doesNotContain(ANN);
            }
        }
    }

    private SearchContext widget() {
        return browser.driver.findElement(By.cssSelector("[data-frontdoor-webchat]")).getShadowRoot();
    }

    private String status() {
        return (String) browser.driver.executeScript("return arguments[0].textContent",
                widget().findElement(By.cssSelector("div.status")));
    }

    private List<String> rows(String kind) {
        return widget().findElements(By.cssSelector("li." + kind)).stream()
                .map(e -> (String) browser.driver.executeScript("return arguments[0].textContent", e)).toList();
    }

    private JsonNode conversation(long id) throws Exception {
        return frontdoor.get("/api/v1/conversations/" + id).json();
    }

    /** The web chat's grace time: a window that closes within it of a reply's push counts as gone (EmailContinuation). */
    private static final long GRACE_MILLIS = 2_000;

    private long reply(long conversation, String text) throws Exception {
        Distribution.Response queued = frontdoor.postJson("/api/v1/conversations/" + conversation + "/replies",
                Distribution.JSON.createObjectNode().put("text", text).toString());
        assertThat(queued.status()).as(queued.raw().body()).isEqualTo(202);
        return queued.json().path("id").asLong();
    }

    private List<MimeMessage> mailsTo(String address, String containing) {
        return mail.receivedBy(address).stream().filter(m -> {
            try {
                return String.valueOf(m.getContent()).contains(containing);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private long only(String channel) throws Exception {
        JsonNode page = frontdoor.get("/api/v1/conversations?channel=" + channel).json();
        assertThat(page.path("total").asLong()).isEqualTo(1);
        return page.path("items").get(0).path("id").asLong();
    }

    @Test
    @Order(1)
    void annWritesByEmailThenInTheChatAndIsTwoCustomersUntilSheProvesTheAddress() throws Exception {
        mail.sendBySmtp(MailServer.mail("<first@example.org>", "Ann <" + ANN + ">", "My order", "Where is it?"));
        await("the mail as a conversation").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.get("/api/v1/conversations?channel=email").json().path("total").asLong() == 1);
        mailConversation = only("email");

        browser.driver.get(site.url("/"));
        await("the widget connected").atMost(WAIT).ignoreExceptions()
                .until(() -> browser.driver.findElement(By.cssSelector("[data-frontdoor-webchat]"))
                        .getDomAttribute("data-transport") != null);
        widget().findElement(By.cssSelector("button.launch")).click();
        widget().findElement(By.cssSelector("textarea")).sendKeys("Hi, about my order");
        widget().findElement(By.cssSelector("button.send")).click();
        await("the chat message stored").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.get("/api/v1/conversations?channel=webchat").json().path("total").asLong() == 1);
        chatConversation = only("webchat");

        // the address she types is a claim: it joins nothing
        widget().findElement(By.cssSelector("details summary")).click();
        widget().findElement(By.cssSelector("input.email")).sendKeys(ANN);
        assertThat(conversation(chatConversation).path("summary").path("customerId").asLong())
                .isNotEqualTo(conversation(mailConversation).path("summary").path("customerId").asLong());
    }

    @Test
    @Order(2)
    void theCodeSentByEmailConfirmsTheAddressAndMakesHerOneCustomer() throws Exception {
        widget().findElement(By.cssSelector("button.confirm-start")).click();
        await("the code by e-mail").atMost(WAIT).until(() -> !mailsTo(ANN, "Your code").isEmpty());
        String body = String.valueOf(mailsTo(ANN, "Your code").get(0).getContent());
        Matcher code = CODE.matcher(body);
        assertThat(code.find()).as(body).isTrue();
        assertThat(rows("agent")).as("the code is never shown in the chat").noneMatch(r -> r.contains(code.group(1)));

        widget().findElement(By.cssSelector("input.confirm-code")).sendKeys("000000".equals(code.group(1))
                ? "111111" : "000000");
        widget().findElement(By.cssSelector("button.confirm")).click();
        await("a wrong code refused").atMost(WAIT).ignoreExceptions().until(() -> status().contains("not right"));
        assertThat(conversation(chatConversation).path("summary").path("customerId").asLong())
                .isNotEqualTo(conversation(mailConversation).path("summary").path("customerId").asLong());

        WebElement typed = widget().findElement(By.cssSelector("input.confirm-code"));
        typed.clear();
        typed.sendKeys(code.group(1));
        widget().findElement(By.cssSelector("button.confirm")).click();
        await("confirmed").atMost(WAIT).ignoreExceptions().until(() -> status().contains("is confirmed"));
        assertThat(status()).contains("An agent will bring your earlier conversations together");

        // the address has a customer with history: nothing moved, an agent is asked
        long customer = conversation(mailConversation).path("summary").path("customerId").asLong();
        long visitor = conversation(chatConversation).path("summary").path("customerId").asLong();
        assertThat(visitor).isNotEqualTo(customer);
        JsonNode suggestions = frontdoor.get("/api/v1/merge-suggestions").json();
        assertThat(suggestions).hasSize(1);
        assertThat(suggestions.get(0).path("fromCustomer").asLong()).isEqualTo(visitor);
        assertThat(suggestions.get(0).path("intoCustomer").asLong()).isEqualTo(customer);
        assertThat(suggestions.get(0).path("reason").asText()).endsWith("proved email " + ANN + " by code");

        Distribution.Response merged = frontdoor.postJson("/api/v1/customers/" + visitor + "/merge",
                Distribution.JSON.createObjectNode().put("into", customer).toString());
        assertThat(merged.status()).as(merged.raw().body()).isEqualTo(200);
        mergeId = merged.json().path("id").asLong();

        assertThat(conversation(chatConversation).path("summary").path("customerId").asLong()).isEqualTo(customer);
        JsonNode identities = frontdoor.get("/api/v1/customers/" + customer).json().path("identities");
        assertThat(identities).hasSize(2);
        assertThat(frontdoor.get("/api/v1/merge-suggestions").json()).isEmpty();
    }

    @Test
    @Order(3)
    void aReplyWhileSheIsInTheChatShowsThereAndOnceSheHasLeftTheNextGoesByEmail() throws Exception {
        long seenId = reply(chatConversation, "We are looking into it");
        await("the reply in the page").atMost(WAIT).ignoreExceptions()
                .until(() -> rows("agent").contains("We are looking into it"));
        // she stays in the chat past the grace time (a window that closes within it counts as gone when the reply came)
        java.time.Instant[] sentAt = {null};
        await("the reply SENT").atMost(WAIT).until(() -> {
            for (JsonNode r : conversation(chatConversation).path("replies")) {
                if (r.path("id").asLong() == seenId && r.path("status").asText().equals("SENT")) {
                    sentAt[0] = java.time.Instant.parse(r.path("sentAt").asText());
                }
            }
            return sentAt[0] != null;
        });
        java.time.Instant stayedUntil = sentAt[0].plusMillis(GRACE_MILLIS + 500);
        await("she has stayed in the chat past the grace time").atMost(WAIT)
                .until(() -> java.time.Instant.now().isAfter(stayedUntil));

        // she leaves: her tab closes
        String chatTab = browser.driver.getWindowHandle();
        browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        String otherTab = browser.driver.getWindowHandle();
        browser.driver.switchTo().window(chatTab).close();
        browser.driver.switchTo().window(otherTab);
        long replyId = reply(chatConversation, "Your parcel left today");

        try {
            await("the reply by e-mail").atMost(WAIT).until(() -> !mailsTo(ANN, "Your parcel left today").isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no e-mail; the conversation: " + conversation(chatConversation), e);
        }
        JsonNode replies = conversation(chatConversation).path("replies");
        JsonNode byMail = null;
        for (JsonNode r : replies) {
            if (r.path("via").path("channel").asText().equals("email")
                    && r.path("text").asText().equals("Your parcel left today")) {
                byMail = r;
            }
        }
        assertThat(byMail).as(replies.toString()).isNotNull();
        assertThat(byMail.path("via").path("recipient").path("handle").asText()).isEqualTo(ANN);
        assertThat(byMail.path("author").asText()).isEqualTo("channel-webchat-site");
        assertThat(mailsTo(ANN, "We are looking into it")).as("no e-mail for what she saw in the chat").isEmpty();
        String status = null;
        for (JsonNode r : replies) {
            if (r.path("id").asLong() == replyId) {
                status = r.path("status").asText();
            }
        }
        assertThat(status).as("the chat reply itself is delivered to the chat's history").isEqualTo("SENT");
    }

    @Test
    @Order(4)
    void theAgentUndoesTheMergeAndEveryMessageGoesBack() throws Exception {
        long customer = conversation(mailConversation).path("summary").path("customerId").asLong();

        Distribution.Response undone = frontdoor.postJson("/api/v1/merges/" + mergeId + "/unmerge", "{}");

        assertThat(undone.status()).as(undone.raw().body()).isEqualTo(200);
        long visitor = undone.json().path("fromCustomer").asLong();
        assertThat(conversation(chatConversation).path("summary").path("customerId").asLong()).isEqualTo(visitor);
        assertThat(conversation(mailConversation).path("summary").path("customerId").asLong()).isEqualTo(customer);
        for (JsonNode m : conversation(chatConversation).path("messages")) {
            assertThat(m.path("customerId").asLong()).isEqualTo(visitor);
        }
        assertThat(frontdoor.shell("frontdoor:store-check")).contains("Consistent");
    }
}
