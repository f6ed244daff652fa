package org.frontdoor.distribution;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web chat door on the built distribution, as a visitor and an agent use it: a site on its own origin embeds the
 * widget with one script tag, a visitor writes in headless Chromium, the agent answers over REST, and the answer
 * appears in the page. Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class WebchatScenarios {

    private static final Duration WAIT = Duration.ofMinutes(1);
    /** A visitor's text with markup in it: it must arrive as text everywhere. */
    private static final String MARKUP = "Hello <b>bold</b> & <img src=x onerror=alert(1)> <script>alert(2)</script>";

    private Database database;
    private Distribution frontdoor;
    private WebchatSite site;
    private Browser browser;
    /** The agents' console, in a browser of its own (started by the first console scenario). */
    private Browser console;
    private WidgetPage page;
    private long conversationId;
    /** The conversation of the visitor the browser holds now (the fallback's visitor after that scenario). */
    private long current;
    /** The e-mail door's peer (started by the console's {@code via} scenario). */
    private MailServer mail;
    /** A visitor who confirmed an e-mail address in the chat, in a browser of her own, and her conversation. */
    private Browser confirmed;
    private long confirmedConversation;

    abstract Database database() throws Exception;

    @BeforeAll
    void boot() throws Exception {
        database = database();
        frontdoor = new Distribution(getClass().getSimpleName(), database, "it-secret-" + UUID.randomUUID(),
                URI.create("http://127.0.0.1:9/unused")).start();
        site = new WebchatSite(frontdoor.url("/webchat/site/widget.js"));
        frontdoor.writeEtc("org.frontdoor.channel.webchat-site.cfg", "allowedOrigins = " + site.origin() + "\n");
        frontdoor.shell("feature:install frontdoor-channel-webchat");
        awaitWebchatUp();
        browser = new Browser();
        page = new WidgetPage(browser);
    }

    @AfterAll
    void shutdown() throws Exception {
        org.awaitility.Awaitility.reset();
        try (Database db = database; Distribution d = frontdoor; WebchatSite s = site; Browser b = browser;
             Browser c = console; MailServer m = mail; Browser v = confirmed) {
            if (d != null) {
                assertThat(d.logProblems()).as("errors in karaf.log").isEmpty();
            }
        }
    }

    private void awaitWebchatUp() {
        await("the web chat instance UP").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> frontdoor.shell("frontdoor:channel-list").lines()
                        .anyMatch(l -> l.contains("webchat") && l.contains("site") && l.contains("UP"))
                        && frontdoor.request("GET", "/webchat/site/widget.js", null, Map.of()).status() == 200);
    }

    private SearchContext widget() {
        return page.widget();
    }

    private String hostAttribute(String name) {
        return page.hostAttribute(name);
    }

    private void open(String url) {
        page.open(url);
    }

    private void type(String text) {
        page.type(text);
    }

    private List<String> rows(String kind) {
        return page.rows(kind);
    }

    private String seenUnder() {
        return page.seenUnder();
    }

    private long webchatConversations() throws Exception {
        return frontdoor.get("/api/v1/conversations?channel=webchat&limit=1").json().path("total").asLong();
    }

    private JsonNode conversation(long id) throws Exception {
        return frontdoor.get("/api/v1/conversations/" + id).json();
    }

    private long reply(long conversation, String text) throws Exception {
        Distribution.Response queued = frontdoor.postJson("/api/v1/conversations/" + conversation + "/replies",
                Distribution.JSON.createObjectNode().put("text", text).toString());
        assertThat(queued.status()).as(queued.raw().body()).isEqualTo(202);
        return queued.json().path("id").asLong();
    }

    private String replyStatus(long conversation, long replyId) throws Exception {
        for (JsonNode r : conversation(conversation).path("replies")) {
            if (r.path("id").asLong() == replyId) {
                return r.path("status").asText();
            }
        }
        return "none";
    }

    @Test
    @Order(1)
    void aVisitorWritesOverWebSocketAndTheMarkupArrivesAsText() throws Exception {
        long before = webchatConversations();
        open(site.url("/"));
        assertThat(hostAttribute("data-transport")).isEqualTo("ws");

        type(MARKUP);

        await("the message shown as sent").atMost(WAIT).ignoreExceptions()
                .until(() -> widget().findElements(By.cssSelector("li.visitor.sent")).size() == 1);
        assertThat(rows("visitor")).containsExactly(MARKUP);
        assertThat(widget().findElements(By.cssSelector("b, img, script"))).as("elements made of visitor text").isEmpty();
        assertThat(webchatConversations()).isEqualTo(before + 1);
        JsonNode list = frontdoor.get("/api/v1/conversations?channel=webchat&limit=1").json();
        conversationId = list.path("items").path(0).path("id").asLong();
        current = conversationId;
        JsonNode detail = conversation(conversationId);
        assertThat(detail.path("messages").path(0).path("text").asText()).isEqualTo(MARKUP);
        assertThat(detail.path("summary").path("instance").asText()).isEqualTo("site");
        assertThat(detail.path("messages").path(0).path("authorHandle").asText()).startsWith("site:");
    }

    @Test
    @Order(2)
    void anAgentsReplyAppearsLiveAsText() throws Exception {
        String text = "We are on it <i>now</i> & soon";
        long replyId = reply(conversationId, text);

        await("the reply in the page").atMost(WAIT).ignoreExceptions().until(() -> rows("agent").contains(text));
        assertThat(widget().findElements(By.cssSelector("i"))).isEmpty();
        await("the reply SENT").atMost(WAIT).until(() -> replyStatus(conversationId, replyId).equals("SENT"));

        await("routed").atMost(WAIT).until(() -> !conversation(conversationId).path("summary").path("department")
                .isNull());
        Distribution.Response assigned = frontdoor.postJson("/api/v1/conversations/" + conversationId + "/assign", "{}");
        assertThat(assigned.status()).as(assigned.raw().body()).isEqualTo(200);
        await("the visitor told an agent joined").atMost(WAIT).ignoreExceptions()
                .until(() -> "assigned".equals(hostAttribute("data-status")));
        assertThat(widget().findElement(By.cssSelector(".status")).getText()).contains("An agent has joined");
    }

    @Test
    @Order(3)
    void aReloadKeepsTheConversation() throws Exception {
        browser.driver.navigate().refresh();
        open(site.url("/"));
        await("the history").atMost(WAIT).ignoreExceptions()
                .until(() -> rows("visitor").equals(List.of(MARKUP)) && rows("agent").size() == 1);
        type("Still there?");
        await("the second message sent").atMost(WAIT).ignoreExceptions()
                .until(() -> widget().findElements(By.cssSelector("li.visitor.sent")).size() == 1
                        && rows("visitor").size() == 2);
        await("stored in the same conversation").atMost(WAIT)
                .until(() -> conversation(conversationId).path("messages").size() == 2);
    }

    @Test
    @Order(4)
    void anAgentTypingAndReadingShowsInThePageAndTheReadMarkOutlivesAReload() throws Exception {
        String conversationPath = "/api/v1/conversations/" + conversationId;
        Distribution.Response typing = frontdoor.postJson(conversationPath + "/typing", "{}");
        assertThat(typing.status()).as(typing.raw().body()).isEqualTo(200);
        assertThat(typing.json().path("kept").asBoolean()).isTrue();
        await("the visitor sees an agent typing").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(hostAttribute("data-typing")));
        assertThat(widget().findElement(By.cssSelector(".typing")).getText()).isEqualTo("An agent is typing…");
        // (that a repeat within 3 s is not kept is shown by the unit tests, where "at once" does not hang on load)

        JsonNode messages = conversation(conversationId).path("messages");
        long first = messages.path(0).path("id").asLong();
        long second = messages.path(1).path("id").asLong();
        Distribution.Response read = frontdoor.postJson(conversationPath + "/read", "{\"upTo\": " + first + "}");
        assertThat(read.status()).as(read.raw().body()).isEqualTo(200);
        assertThat(read.json().path("readUpTo").asLong()).isEqualTo(first);
        await("Seen under the first message").atMost(WAIT).ignoreExceptions()
                .until(() -> seenUnder().equals("m" + first));

        read = frontdoor.postJson(conversationPath + "/read", "{}");
        assertThat(read.json().path("readUpTo").asLong()).as("everything so far").isEqualTo(second);
        await("Seen under the latest message").atMost(WAIT).ignoreExceptions()
                .until(() -> seenUnder().equals("m" + second));
        read = frontdoor.postJson(conversationPath + "/read", "{\"upTo\": " + first + "}");
        assertThat(read.json().path("readUpTo").asLong()).as("the mark never moves back").isEqualTo(second);
        Distribution.Response wrong = frontdoor.postJson(conversationPath + "/read", "{\"upTo\": \"soon\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("error").asText()).contains("upTo must be a message id");
        assertThat(frontdoor.postJson("/api/v1/conversations/987654321/read", "{}").status()).isEqualTo(404);

        JsonNode events = frontdoor.get("/api/v1/events?limit=500").json().path("events");
        List<String> types = new java.util.ArrayList<>();
        events.forEach(e -> {
            if (e.path("conversationId").asLong() == conversationId) {
                types.add(e.path("type").asText());
            }
        });
        // typing is a signal the visitor saw above, not a log entry
        assertThat(types).contains("read").doesNotContain("typing");
        assertThat(conversation(conversationId).path("readUpTo").asLong()).isEqualTo(second);

        browser.driver.navigate().refresh();
        open(site.url("/"));
        await("Seen again after a reload").atMost(WAIT).ignoreExceptions()
                .until(() -> seenUnder().equals("m" + second));
        assertThat(hostAttribute("data-typing")).as("an old typing event is not shown again").isNull();
    }

    @Test
    @Order(5)
    void aSiteNotAllowedIsRefusedAndStoresNothing() throws Exception {
        long before = webchatConversations();
        browser.driver.get(site.otherOriginUrl("/"));
        await("the widget refused").atMost(WAIT).ignoreExceptions()
                .until(() -> "origin".equals(hostAttribute("data-refused")));
        assertThat(widget().findElement(By.cssSelector(".status")).getText()).contains("not be used on this site");
        assertThat(widget().findElement(By.cssSelector("button.launch")).getText()).isEqualTo("Chat unavailable");

        // over the HTTP fallback too the visitor reads the refusal, not "cannot be reached"
        browser.driver.get(site.otherOriginUrl("/blank"));
        browser.driver.executeScript("localStorage.clear()");
        browser.driver.get(site.otherOriginUrl("/nows.html"));
        await("the widget refused over HTTP").atMost(WAIT).ignoreExceptions()
                .until(() -> "origin".equals(hostAttribute("data-refused")));
        assertThat(widget().findElement(By.cssSelector(".status")).getText()).contains("not be used on this site");

        Distribution.Response hello = frontdoor.request("POST", "/webchat/site/hello", "{}",
                Map.of("Origin", "https://evil.example", "Content-Type", "application/json"));
        assertThat(hello.status()).isEqualTo(403);
        assertThat(hello.json().path("reason").asText()).contains("not be used on this site");
        assertThat(hello.header("Access-Control-Allow-Origin")).as("the page may read its refusal")
                .isEqualTo("https://evil.example");
        assertThat(frontdoor.log()).as("the refused origin named in the log")
                .contains("refused a request from origin 'https://evil.example'");
        Distribution.Response send = frontdoor.request("POST", "/webchat/site/send",
                "{\"id\":\"x1\",\"text\":\"spam\"}", Map.of("Origin", "https://evil.example"));
        assertThat(send.status()).isEqualTo(403);
        assertThat(webchatConversations()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void withoutWebSocketTheWidgetFallsBackToHttp() throws Exception {
        // a visitor of its own: the fallback from the first hello on
        browser.driver.get(site.url("/blank"));
        browser.driver.executeScript("localStorage.clear()");
        long before = webchatConversations();
        open(site.url("/nows.html"));
        assertThat(hostAttribute("data-transport")).isEqualTo("http");

        type("Sent over plain HTTP");
        await("the message shown as sent").atMost(WAIT).ignoreExceptions()
                .until(() -> widget().findElements(By.cssSelector("li.visitor.sent")).size() == 1);
        await("a new conversation").atMost(WAIT).until(() -> webchatConversations() == before + 1);
        long id = frontdoor.get("/api/v1/conversations?channel=webchat&limit=1").json().path("items").path(0)
                .path("id").asLong();
        assertThat(id).isNotEqualTo(conversationId);
        current = id;
        assertThat(conversation(id).path("messages").path(0).path("text").asText()).isEqualTo("Sent over plain HTTP");

        String text = "Answered through long polling";
        long replyId = reply(id, text);
        await("the reply in the page").atMost(WAIT).ignoreExceptions().until(() -> rows("agent").contains(text));
        await("the reply SENT").atMost(WAIT).until(() -> replyStatus(id, replyId).equals("SENT"));

        Distribution.Response typing = frontdoor.postJson("/api/v1/conversations/" + id + "/typing", "{}");
        assertThat(typing.json().path("kept").asBoolean()).as(typing.raw().body()).isTrue();
        await("an agent typing, shown through long polling").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(hostAttribute("data-typing")));
    }

    @Test
    @Order(7)
    void theFeatureReinstalledWhileTheHttpChannelWorksDeliversAReplyQueuedMeanwhile() throws Exception {
        open(site.url("/"));
        frontdoor.shell("feature:uninstall frontdoor-channel-webchat");
        await("the web chat gone").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.request("GET", "/webchat/site/widget.js", null, Map.of()).status() != 200);

        String body = Distribution.JSON.createObjectNode().put("id", "m-" + UUID.randomUUID())
                .put("text", "The HTTP channel still works").put("thread", "t-" + UUID.randomUUID())
                .set("from", Distribution.JSON.createObjectNode().put("id", "u-" + UUID.randomUUID())).toString();
        assertThat(frontdoor.postSigned(body).status()).isEqualTo(202);
        String text = "Queued while the web chat was away";
        long replyId = reply(current, text);
        assertThat(replyStatus(current, replyId)).isNotEqualTo("SENT");

        frontdoor.shell("feature:install frontdoor-channel-webchat");
        awaitWebchatUp();
        await("the reply SENT").atMost(WAIT).until(() -> replyStatus(current, replyId).equals("SENT"));
        await("the reply in the page").atMost(WAIT).ignoreExceptions().until(() -> rows("agent").contains(text));

        open(site.url("/"));
        assertThat(hostAttribute("data-transport")).as("WebSocket again after the reinstall").isEqualTo("ws");
        await("the history after the reinstall").atMost(WAIT).ignoreExceptions()
                .until(() -> rows("agent").contains(text));
    }

    @Test
    @Order(8)
    void anInstanceWithoutAllowedOriginsIsDownWithTheReasonAndRefusesVisitors() throws Exception {
        frontdoor.writeEtc("org.frontdoor.channel.webchat-bare.cfg", "title = Nobody may embed me\n");

        await("the bare instance DOWN").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> frontdoor.shell("frontdoor:channel-list").lines()
                        .anyMatch(l -> l.contains("bare") && l.contains("DOWN") && l.contains("allowedOrigins")));
        Distribution.Response hello = frontdoor.request("POST", "/webchat/bare/hello", "{}",
                Map.of("Origin", site.origin()));
        assertThat(hello.status()).isEqualTo(403);
        assertThat(frontdoor.shell("frontdoor:channel-list")).contains("site");

        // an entry that is no origin is named as malformed, not taken for "no allowed origins"
        frontdoor.writeEtc("org.frontdoor.channel.webchat-bare.cfg", "allowedOrigins = www.example.com\n");
        await("the bare instance DOWN on its malformed origin").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> frontdoor.shell("frontdoor:channel-list").lines()
                        .anyMatch(l -> l.contains("bare") && l.contains("DOWN") && l.contains("malformed")
                                && l.contains("'www.example.com'")));
    }

    // --- the agents' console (/console), in headless Chromium of its own ---------------------------------------

    private WebElement find(String css) {
        return console.driver.findElement(By.cssSelector(css));
    }

    private List<WebElement> all(String css) {
        return console.driver.findElements(By.cssSelector(css));
    }

    private void consoleLogin(String user, String password) {
        await("the login form").atMost(WAIT).ignoreExceptions().until(() -> find("#login").isDisplayed());
        find("#username").sendKeys(user);
        find("#password").sendKeys(password);
        find("#sign-in").click();
        await("logged in, the stream live").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#who").getText().equals(user)
                        && "yes".equals(find("#desk").getAttribute("data-live")));
    }

    /**
     * A screenshot of the console as it is now, in target/console-screenshots/NAME.png (docs/console.md shows them:
     * copy them to docs/console/ after a run when the screens change).
     */
    private void screenshot(String name) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "console-screenshots");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) console.driver)
                .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    /** The rows of the inbox: conversation id to the row's text. */
    private Map<Long, String> inboxRows() {
        Map<Long, String> rows = new java.util.LinkedHashMap<>();
        for (WebElement row : all("#inbox li.conv")) {
            rows.put(Long.parseLong(row.getAttribute("data-id")), row.getText());
        }
        return rows;
    }

    @Test
    @Order(80)
    void anAgentLogsInToTheConsoleWithASessionCookieUnderAStrictPolicy() throws Exception {
        Distribution.Response page = frontdoor.request("GET", "/console/", null, Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'")
                .contains("script-src 'self' 'sha256-").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval")
                .contains("frame-ancestors 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.raw().body()).doesNotContain("onclick").contains("<script type=\"module\" src=");

        console = new Browser();
        console.driver.get(frontdoor.url("/console/"));
        await("the login form").atMost(WAIT).ignoreExceptions().until(() -> find("#login").isDisplayed());
        screenshot("login");
        consoleLogin("admin", frontdoor.adminPassword());

        org.openqa.selenium.Cookie cookie = console.driver.manage().getCookieNamed("frontdoor_session");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(console.driver.executeScript("return document.cookie")).as("unreadable from script")
                .isEqualTo("");
        // a change with the cookie but without the page's CSRF token is refused
        Distribution.Response forged = frontdoor.request("POST", "/api/v1/conversations/" + current + "/resolve", "{}",
                Map.of("Cookie", "frontdoor_session=" + cookie.getValue(), "Content-Type", "application/json"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(conversation(current).path("summary").path("status").asText()).isNotEqualTo("RESOLVED");
        await("the inbox lists the web chat conversations").atMost(WAIT).ignoreExceptions()
                .until(() -> inboxRows().keySet().containsAll(List.of(conversationId, current)));
    }

    @Test
    @Order(81)
    void aMessageThroughTheApiDoorAppearsLiveInTheInbox() throws Exception {
        console.driver.executeScript("window.frontdoorNoReload = 'kept'");
        String text = "Parcel " + UUID.randomUUID() + " has not arrived";
        String body = Distribution.JSON.createObjectNode().put("id", "m-" + UUID.randomUUID()).put("text", text)
                .put("thread", "t-" + UUID.randomUUID())
                .set("from", Distribution.JSON.createObjectNode().put("id", "u-" + UUID.randomUUID())
                        .put("name", "Petra")).toString();
        Distribution.Response in = frontdoor.postSigned(body);
        assertThat(in.status()).isEqualTo(202);
        long id = in.json().path("conversationId").asLong();

        await("the new conversation in the inbox, pushed").atMost(WAIT).ignoreExceptions()
                .until(() -> inboxRows().getOrDefault(id, "").contains(text));
        assertThat(inboxRows().get(id)).contains("Petra").contains("api:demo");
        screenshot("inbox");
        assertThat(console.driver.executeScript("return window.frontdoorNoReload")).as("no page reload")
                .isEqualTo("kept");
    }

    @Test
    @Order(82)
    void anAgentRepliesFromTheConsoleWithTheDoorsCounterAndTheStateTurnsToSent() throws Exception {
        find("#inbox li.conv[data-id='" + current + "'] a").click();
        await("the conversation open").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(Long.toString(current)));
        String text = "Answered from the console " + UUID.randomUUID().toString().substring(0, 8);
        find("#composer").sendKeys(text);
        // the counter comes from the server's own counting of the web chat door
        JsonNode preview = frontdoor.postJson("/api/v1/conversations/" + current + "/replies/measure",
                Distribution.JSON.createObjectNode().put("text", text).toString()).json();
        assertThat(preview.path("length").asInt()).isEqualTo(text.length());
        await("the live counter").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#counter").getAttribute("data-length").equals(Integer.toString(text.length())));
        assertThat(find("#counter").getText()).startsWith(text.length() + " ");

        find("#send").click();

        await("the visitor receives it").atMost(WAIT).ignoreExceptions().until(() -> rows("agent").contains(text));
        await("its state turns to sent in the console").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#thread li.reply").stream().anyMatch(r -> r.getText().contains(text)
                        && "SENT".equals(r.getAttribute("data-status"))));
        assertThat(find("#composer").getAttribute("value")).isEmpty();
        screenshot("conversation");
    }

    @Test
    @Order(83)
    void markupSentByACustomerShowsAsTextAndRunsNothing() throws Exception {
        console.driver.executeScript("window.frontdoorAlerts = []; window.alert = m => window.frontdoorAlerts.push(m)");
        console.driver.get(frontdoor.url("/console/#/c/" + conversationId));
        console.driver.executeScript("window.frontdoorAlerts = []; window.alert = m => window.frontdoorAlerts.push(m)");
        await("the thread").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#thread li.message.customer .text").stream()
                        .anyMatch(e -> e.getText().equals(MARKUP)));
        assertThat(all("#thread b, #thread img, #thread script, #inbox b, #inbox img, #inbox script"))
                .as("elements made of customer text").isEmpty();
        assertThat(find("#thread li.message.customer .badge.visibility").getText()).isIn("public", "private");
        await("why it is here").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#why").getText().contains("Why it is here"));
        assertThat(console.driver.executeScript("return window.frontdoorAlerts.length")).isEqualTo(0L);
    }

    @Test
    @Order(84)
    void aLogoutEndsTheSessionAndItsCookieNoLongerWorks() throws Exception {
        String cookie = console.driver.manage().getCookieNamed("frontdoor_session").getValue();
        assertThat(frontdoor.request("GET", "/api/v1/conversations", null,
                Map.of("Cookie", "frontdoor_session=" + cookie)).status()).isEqualTo(200);

        find("#logout").click();

        await("the login form again").atMost(WAIT).ignoreExceptions().until(() -> find("#login").isDisplayed());
        Distribution.Response after = frontdoor.request("GET", "/api/v1/conversations", null,
                Map.of("Cookie", "frontdoor_session=" + cookie));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).as("no browser password dialog").isNull();
        assertThat(frontdoor.request("GET", "/api/v1/events/stream?after=0", null,
                Map.of("Cookie", "frontdoor_session=" + cookie)).status()).isEqualTo(401);
    }

    @Test
    @Order(85)
    void anAgentOfAnotherDepartmentNeitherSeesNorOpensTheConversation() throws Exception {
        String department = conversation(current).path("summary").path("department").asText();
        String other = "support".equals(department) ? "sales" : "support";
        String olga = "olga-" + UUID.randomUUID().toString().substring(0, 6);
        Distribution.Response user = frontdoor.postJson("/api/v1/users", "{\"name\":\"" + olga
                + "\",\"password\":\"" + olga + "-password\",\"roles\":[\"agent\"]}");
        assertThat(user.status()).as(user.raw().body()).isEqualTo(201);
        Distribution.Response agent = frontdoor.postJson("/api/v1/agents", "{\"name\":\"" + olga
                + "\",\"departments\":[\"" + other + "\"],\"capacity\":5}");
        assertThat(agent.status()).as(agent.raw().body()).isEqualTo(201);

        consoleLogin(olga, olga + "-password");
        // the live stream too carries only her department's events: a new message in the conversation is not shown
        console.driver.get(frontdoor.url("/console/#/c/" + current));
        await("no conversation, as if it did not exist").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#missing").getText().equals("no conversation " + current));
        assertThat(inboxRows()).doesNotContainKeys(current, conversationId);
        assertThat(find("body").getText()).doesNotContain("onerror").doesNotContain("Still there?");
    }

    @Test
    @Order(86)
    void onAPhoneSizedScreenTheListAndTheConversationTakeTheWholeWidthInTurn() throws Exception {
        find("#logout").click();
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        console.driver.get(frontdoor.url("/console/#/"));
        consoleLogin("admin", frontdoor.adminPassword());
        await("the inbox").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#inbox li.conv[data-id='" + current + "']").isDisplayed());
        assertThat(find("section.conversation").isDisplayed()).isFalse();

        find("#inbox li.conv[data-id='" + current + "'] a").click();

        await("the conversation alone").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#composer").isDisplayed() && !find("#inbox").isDisplayed());
        assertThat(find("#send").isDisplayed()).isTrue();
        screenshot("phone");
        long width = (Long) console.driver.executeScript("return document.documentElement.clientWidth");
        assertThat((Long) console.driver.executeScript("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling").isLessThanOrEqualTo(width);
        find("a.back").click();
        await("back to the list").atMost(WAIT).ignoreExceptions().until(() -> find("#inbox").isDisplayed());
    }

    /**
     * What the agent does in the console reaches the visitor as the web chat shows it: reading the conversation puts
     * "Seen" under the visitor's latest message, writing a reply shows "An agent is typing…"; an internal note shows in
     * the console's thread and never in the visitor's; snooze and transfer act on the conversation.
     */
    @Test
    @Order(87)
    void theVisitorSeesTheConsolesReadingAndTypingAndNotesStayInternalWhileSnoozeAndTransferAct() throws Exception {
        frontdoor.writeEtc("org.frontdoor.department-sales.cfg", "name = Sales\n");
        await("the sales department").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.get("/api/v1/departments").raw().body().contains("sales"));
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        String question = "One more question " + UUID.randomUUID().toString().substring(0, 8);
        type(question);
        await("the visitor's message stored").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(current).path("messages").toString().contains(question));
        JsonNode messages = conversation(current).path("messages");
        long latest = messages.path(messages.size() - 1).path("id").asLong();

        console.driver.get(frontdoor.url("/console/#/c/" + current));
        await("the question in the console's thread").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#thread li.message.customer .text").stream()
                        .anyMatch(e -> e.getText().equals(question)));
        await("Seen under the visitor's latest message").atMost(WAIT).ignoreExceptions()
                .until(() -> seenUnder().equals("m" + latest));

        find("#composer").sendKeys("Let me check");
        await("the visitor sees an agent typing").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(hostAttribute("data-typing")));

        String internal = "Internal: refund approved by finance " + UUID.randomUUID().toString().substring(0, 6);
        find("#note").sendKeys(internal);
        find("#add-note").click();
        await("the note in the console's thread").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#thread li.note .text").stream().anyMatch(e -> e.getText().equals(internal)));
        assertThat(find("#thread li.note .badge.internal").getText()).isEqualTo("internal note");
        assertThat(conversation(current).path("notes").toString()).contains(internal);
        assertThat(rows("agent")).noneMatch(r -> r.contains("refund approved"));
        screenshot("note");

        find("#snooze").click();
        await("snoozed").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(current).path("summary").path("status").asText().equals("SNOOZED"));

        console.driver.navigate().refresh(); // the departments are read when the console opens
        await("the transfer menu").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#transfer-to").findElements(By.cssSelector("option[value='sales']")).size() == 1);
        find("#transfer-to option[value='sales']").click();
        find("#transfer").click();
        await("transferred to sales").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(current).path("summary").path("department").asText().equals("sales"));
        await("the console shows it").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation .meta").getText().contains("sales"));
    }

    /** Every {@code reopened} event of the log, oldest first (a filtered page may be short while more follow). */
    private List<JsonNode> reopenedEvents() throws Exception {
        List<JsonNode> events = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = frontdoor.get("/api/v1/events?types=reopened&limit=500&after=" + after).json();
            page.path("events").forEach(events::add);
            long next = page.path("next").asLong();
            if (next <= after) {
                return events;
            }
            after = next;
        }
    }

    /**
     * A resolved conversation comes back from the console with Reopen: into its department's queue, with a
     * {@code reopened} event naming the agent and a line in "why it is here"; reopening an open one is refused with
     * the reason and changes nothing.
     */
    @Test
    @Order(88)
    void aResolvedConversationIsReopenedFromTheConsoleWithTheEventAndTheReason() throws Exception {
        console.driver.get(frontdoor.url("/console/#/c/" + current));
        await("the conversation open").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(Long.toString(current)));
        long before = reopenedEvents().size();

        find("#resolve").click();
        await("resolved, and Reopen offered").atMost(WAIT).ignoreExceptions()
                .until(() -> "RESOLVED".equals(find("#conversation").getAttribute("data-status"))
                        && find("#reopen").isDisplayed());
        assertThat(conversation(current).path("summary").path("status").asText()).isEqualTo("RESOLVED");
        find("#reopen").click();

        await("open again, in its department's queue").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(current).path("summary").path("status").asText().equals("QUEUED"));
        await("the console shows it").atMost(WAIT).ignoreExceptions()
                .until(() -> "QUEUED".equals(find("#conversation").getAttribute("data-status"))
                        && find("#resolve").isDisplayed());
        List<JsonNode> events = reopenedEvents();
        assertThat(events).hasSize((int) before + 1);
        JsonNode reopened = events.get(events.size() - 1);
        assertThat(reopened.path("conversationId").asLong()).isEqualTo(current);
        assertThat(reopened.path("actor").asText()).isEqualTo("admin");
        await("why it is here says who reopened it").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#why-history li[data-action='reopened']").getText().contains("admin"));
        screenshot("reopen");

        Distribution.Response again = frontdoor.postJson("/api/v1/conversations/" + current + "/reopen", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asText()).contains("open already");
        assertThat(frontdoor.shell("frontdoor:conversation-reopen " + current)).contains("open already");
        assertThat(reopenedEvents()).as("nothing written for the refusals").hasSize((int) before + 1);
    }

    /**
     * A visitor confirms her e-mail address in the chat (the e-mail door sends the code): the console's customer panel
     * shows her two identities, on two doors, and which is confirmed; the composer offers the confirmed address, its
     * counter counts as the e-mail door does, and the reply reaches her mailbox through the e-mail door's peer.
     */
    @Test
    @Order(89)
    void theCustomerPanelShowsTwoDoorsIdentitiesAndAViaReplyReachesTheOtherDoorsPeer() throws Exception {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault(); // GreenMail's threads, as in its scenarios
        mail = new MailServer();
        // HTML files kept too (not by default): the attachment scenario shows that even those are never rendered
        frontdoor.writeEtc("org.frontdoor.channel.email-support.cfg", mail.cfg(MailServer.PASSWORD)
                + "allowedAttachmentTypes = text/html,text/plain,image/*\n");
        frontdoor.writeEtc("org.frontdoor.channel.webchat-site.cfg", "allowedOrigins = " + site.origin() + "\n"
                + "confirmVia = support\n");
        frontdoor.shell("feature:install frontdoor-channel-email");
        await("the e-mail door UP").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> frontdoor.shell("frontdoor:channel-list").lines()
                        .anyMatch(l -> l.contains("email") && l.contains("support") && l.contains("UP")));
        awaitWebchatUp();
        String ann = "ann-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        confirmed = new Browser();
        WidgetPage chat = new WidgetPage(confirmed);
        chat.open(site.url("/"));
        String hello = "Hi, about my order " + UUID.randomUUID().toString().substring(0, 6);
        chat.type(hello);
        await("her message stored").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.get("/api/v1/conversations?channel=webchat&limit=200").raw().body()
                        .contains(hello));
        for (JsonNode c : frontdoor.get("/api/v1/conversations?channel=webchat&limit=200").json().path("items")) {
            if (c.path("preview").asText().contains(hello)) {
                confirmedConversation = c.path("id").asLong();
            }
        }
        chat.widget().findElement(By.cssSelector("details summary")).click();
        chat.widget().findElement(By.cssSelector("input.email")).sendKeys(ann);
        // the instance takes confirmVia when its new settings apply: until then the widget is told it cannot confirm
        await("a code sent").atMost(WAIT).pollInterval(Duration.ofSeconds(3)).ignoreExceptions().until(() -> {
            String said = (String) confirmed.driver.executeScript("return arguments[0].textContent",
                    chat.widget().findElement(By.cssSelector("div.status")));
            if (said != null && said.contains("We sent a code")) {
                return true;
            }
            chat.widget().findElement(By.cssSelector("button.confirm-start")).click();
            return false;
        });
        java.util.regex.Pattern sixDigits = java.util.regex.Pattern.compile("\\b(\\d{6})\\b");
        String[] code = {null};
        await("the code by e-mail").atMost(WAIT).ignoreExceptions().until(() -> {
            for (jakarta.mail.internet.MimeMessage m : mail.receivedBy(ann)) {
                java.util.regex.Matcher found = sixDigits.matcher(String.valueOf(m.getContent()));
                if (found.find()) {
                    code[0] = found.group(1);
                }
            }
            return code[0] != null;
        });
        chat.widget().findElement(By.cssSelector("input.confirm-code")).sendKeys(code[0]);
        chat.widget().findElement(By.cssSelector("button.confirm")).click();
        long customer = conversation(confirmedConversation).path("summary").path("customerId").asLong();
        await("the address confirmed on her customer").atMost(WAIT).ignoreExceptions()
                .until(() -> frontdoor.get("/api/v1/customers/" + customer).json().path("identities").toString()
                        .contains(ann));

        console.driver.get(frontdoor.url("/console/#/c/" + confirmedConversation));
        await("the customer panel with both doors").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#identities li").size() == 2);
        assertThat(find("#identities li[data-channel='email']").getAttribute("data-confirmed")).isEqualTo("yes");
        assertThat(find("#identities li[data-channel='email']").getText()).contains(ann).contains("confirmed");
        assertThat(find("#identities li[data-channel='webchat']").getAttribute("data-confirmed")).isEqualTo("no");
        assertThat(find("#identities li[data-channel='webchat']").getText()).contains("not confirmed");
        assertThat(find("#confirmed").getText()).contains(ann);
        List<String> offered = find("#reply-through").findElements(By.cssSelector("option")).stream()
                .map(WebElement::getText).toList();
        assertThat(offered).as("this door, and the confirmed address on the running e-mail door only")
                .containsExactly("this conversation (webchat:site)", "email:support to " + ann);

        find("#reply-through option[value='email:support:" + ann + "']").click();
        String text = "Your parcel left today " + UUID.randomUUID().toString().substring(0, 6);
        find("#composer").sendKeys(text);
        await("the counter counts as the e-mail door").atMost(WAIT).ignoreExceptions()
                .until(() -> "email:support".equals(find("#counter").getAttribute("data-door"))
                        && find("#counter").getAttribute("data-length").equals(Integer.toString(text.length())));
        assertThat(all("#reply-visibility")).as("through another door a reply is private").isEmpty();
        screenshot("customer");
        find("#send").click();

        await("the mail in her mailbox").atMost(WAIT).ignoreExceptions()
                .until(() -> mail.receivedBy(ann).stream().anyMatch(m -> {
                    try {
                        return String.valueOf(m.getContent()).contains(text);
                    } catch (Exception e) {
                        return false;
                    }
                }));
        await("the reply SENT through the e-mail door, in the thread").atMost(WAIT).ignoreExceptions()
                .until(() -> all("#thread li.reply.via").stream().anyMatch(r -> r.getText().contains(text)
                        && r.getText().contains("through email:support to " + ann)
                        && "SENT".equals(r.getAttribute("data-status"))));
        assertThat(confirmed.driver.findElement(By.cssSelector("[data-frontdoor-webchat]")).getShadowRoot()
                .findElements(By.cssSelector("li.agent")).stream().map(WebElement::getText).toList())
                .as("not in the chat: it went by e-mail").noneMatch(r -> r.contains(text));
    }

    /**
     * A file a customer sends is listed with its name, type and size and downloaded, never shown: markup in its name
     * shows as text, and an HTML file comes as an attachment the browser may not sniff or run.
     */
    @Test
    @Order(90)
    void anAttachmentIsListedAndDownloadedNeverRenderedAndMarkupInItsNameIsText() throws Exception {
        String name = "<img src=x onerror=alert(3)>.html";
        jakarta.mail.internet.MimeMessage message = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()));
        message.setFrom("Bea <bea@example.org>");
        message.setRecipients(jakarta.mail.Message.RecipientType.TO, MailServer.MAILBOX);
        message.setSubject("A file", "UTF-8");
        jakarta.mail.internet.MimeBodyPart body = new jakarta.mail.internet.MimeBodyPart();
        body.setText("See the attached page", "UTF-8");
        jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
        file.setContent("<script>alert(4)</script><h1>page</h1>", "text/html; charset=utf-8");
        file.setFileName(name);
        file.setDisposition(jakarta.mail.Part.ATTACHMENT);
        message.setContent(new jakarta.mail.internet.MimeMultipart(body, file));
        message.saveChanges();
        mail.sendBySmtp(message);
        long[] ids = {0, 0};
        await("the mail as a conversation with its file kept").atMost(WAIT).ignoreExceptions().until(() -> {
            for (JsonNode c : frontdoor.get("/api/v1/conversations?channel=email&limit=200").json().path("items")) {
                JsonNode m = conversation(c.path("id").asLong()).path("messages").path(0);
                if (m.path("attachments").path(0).path("blobRef").isTextual()
                        && m.path("text").asText().contains("See the attached page")) {
                    ids[0] = c.path("id").asLong();
                    ids[1] = m.path("id").asLong();
                }
            }
            return ids[0] != 0;
        });
        Distribution.Response download = frontdoor.get("/api/v1/conversations/" + ids[0] + "/messages/" + ids[1]
                + "/attachments/0");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Disposition")).startsWith("attachment;");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Content-Type")).startsWith("application/octet-stream");

        console.driver.get(frontdoor.url("/console/#/c/" + ids[0]));
        console.driver.executeScript("window.frontdoorAlerts = []; window.alert = m => window.frontdoorAlerts.push(m)");
        await("the attachment listed").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#thread .attachments a.download").getText().equals(name));
        assertThat(find("#thread .attachments li").getText()).contains("text/html").contains(" B)");
        assertThat(all("#thread img, #thread script, #thread h1")).as("elements made of customer text").isEmpty();
        screenshot("attachment");
        String page = console.driver.getCurrentUrl();
        find("#thread .attachments a.download").click();
        assertThat(console.driver.getCurrentUrl()).as("a download: the console stays").isEqualTo(page);
        assertThat(console.driver.getWindowHandles()).hasSize(1);
        assertThat(console.driver.executeScript("return window.frontdoorAlerts.length")).isEqualTo(0L);
        await("still the console").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(Long.toString(ids[0])));
    }

    /**
     * The keyboard: j and k move through the list, ? shows the help, r goes to the reply, a assigns, e resolves and o
     * reopens; none of them fires while the agent types in a field.
     */
    @Test
    @Order(91)
    void keyboardShortcutsActButNeverWhileTyping() throws Exception {
        console.driver.get(frontdoor.url("/console/#/"));
        await("the inbox").atMost(WAIT).ignoreExceptions().until(() -> all("#inbox li.conv").size() >= 2);
        List<String> rows = all("#inbox li.conv").stream().map(r -> r.getAttribute("data-id")).toList();
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(console.driver);

        keys.sendKeys("j").perform();
        await("j opens the first").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(rows.get(0)));
        keys.sendKeys("j").perform();
        await("j the next").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(rows.get(1)));
        keys.sendKeys("k").perform();
        await("k the previous").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#conversation").getAttribute("data-id").equals(rows.get(0)));
        long id = Long.parseLong(rows.get(0));
        if (conversation(id).path("summary").path("status").asText().equals("RESOLVED")) {
            keys.sendKeys("o").perform();
            await("o reopens").atMost(WAIT).ignoreExceptions()
                    .until(() -> !conversation(id).path("summary").path("status").asText().equals("RESOLVED"));
        }

        keys.sendKeys("?").perform();
        await("the help").atMost(WAIT).ignoreExceptions().until(() -> find("#shortcuts-help").isDisplayed());
        assertThat(find("#shortcuts-help").getText()).contains("next conversation").contains("resolve");
        screenshot("shortcuts");
        keys.sendKeys(Keys.ESCAPE).perform();
        await("the help closed").atMost(WAIT).ignoreExceptions().until(() -> all("#shortcuts-help").isEmpty());

        keys.sendKeys("r").perform();
        await("r: the reply field").atMost(WAIT).ignoreExceptions()
                .until(() -> "composer".equals(console.driver.switchTo().activeElement().getAttribute("id")));
        keys.sendKeys("jeak").perform();
        assertThat(find("#composer").getAttribute("value")).as("typed, not shortcuts").isEqualTo("jeak");
        assertThat(find("#conversation").getAttribute("data-id")).isEqualTo(rows.get(0));
        assertThat(conversation(id).path("summary").path("status").asText()).isNotEqualTo("RESOLVED");
        find("#composer").clear();

        find("h2").click(); // out of the field
        keys.sendKeys("a").perform();
        await("a assigns to me").atMost(WAIT).ignoreExceptions()
                .until(() -> "admin".equals(conversation(id).path("summary").path("assignee").asText()));
        keys.sendKeys("e").perform();
        await("e resolves").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(id).path("summary").path("status").asText().equals("RESOLVED"));
        await("the console shows it").atMost(WAIT).ignoreExceptions()
                .until(() -> "RESOLVED".equals(find("#conversation").getAttribute("data-status")));
        keys.sendKeys("o").perform();
        await("o reopens, with its assignee").atMost(WAIT).ignoreExceptions()
                .until(() -> conversation(id).path("summary").path("status").asText().equals("ASSIGNED"));
    }

    // --- the inbox's views, counts, installable app and live stream (issue 19, the inbox side) --------------------

    /** A customer message through the API door; the conversation's id. */
    private long throughTheApiDoor(String name, String text) throws Exception {
        String body = Distribution.JSON.createObjectNode().put("id", "m-" + UUID.randomUUID()).put("text", text)
                .put("thread", "t-" + UUID.randomUUID())
                .set("from", Distribution.JSON.createObjectNode().put("id", "u-" + UUID.randomUUID())
                        .put("name", name)).toString();
        Distribution.Response in = frontdoor.postSigned(body);
        assertThat(in.status()).isEqualTo(202);
        return in.json().path("conversationId").asLong();
    }

    private long shownCount(String shortcut) {
        return Long.parseLong(find("#" + shortcut + " .n").getAttribute("data-count"));
    }

    @Test
    @Order(92)
    void theViewsAndTheirCountsChangeLiveAsAMessageArrivesThroughTheApiDoor() throws Exception {
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        console.driver.get(frontdoor.url("/console/#/"));
        await("the console live").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(find("#desk").getAttribute("data-live")));
        console.driver.executeScript("window.frontdoorNoReload = 'kept'");
        JsonNode counts = frontdoor.get("/api/v1/conversations/counts").json();
        await("the counts as the server gives them").atMost(WAIT).ignoreExceptions()
                .until(() -> shownCount("view-breached") == counts.path("bySla").path("BREACHED").asLong()
                        && shownCount("view-mine-count") == counts.path("mine").asLong());
        // the door view: only the API door's conversations, most urgent first
        find("#view-door option[value='api']").click();
        long before = frontdoor.get("/api/v1/conversations?channel=api&limit=1").json().path("total").asLong();
        long all = 0;
        for (JsonNode n : frontdoor.get("/api/v1/conversations/counts").json().path("byStatus")) {
            all += n.asLong();
        }
        long everything = all;
        await("the door's view and the counts shown").atMost(WAIT).ignoreExceptions()
                .until(() -> Long.parseLong(find("#count").getAttribute("data-total")) == before
                        && shownCount("view-all") == everything);

        String text = "Where is order " + UUID.randomUUID().toString().substring(0, 8);
        long id = throughTheApiDoor("Quentin", text);

        await("the new row in the door's view, pushed").atMost(WAIT).ignoreExceptions()
                .until(() -> inboxRows().getOrDefault(id, "").contains(text));
        await("the view's total and the counts move with it").atMost(WAIT).ignoreExceptions()
                .until(() -> Long.parseLong(find("#count").getAttribute("data-total")) == before + 1
                        && shownCount("view-all") == everything + 1);
        assertThat(inboxRows().values()).allMatch(row -> row.contains("api:demo"));
        assertThat(find("#inbox li.conv[data-id='" + id + "']").getAttribute("data-sla")).isEqualTo("OK");
        // another door's view does not list it
        find("#view-door option[value='webchat']").click();
        await("the web chat view").atMost(WAIT).ignoreExceptions()
                .until(() -> !inboxRows().isEmpty() && !inboxRows().containsKey(id));
        find("#view-door option[value='']").click();
        screenshot("views");
        assertThat(console.driver.executeScript("return window.frontdoorNoReload")).as("no page reload")
                .isEqualTo("kept");
    }

    @Test
    @Order(93)
    void mineListsWhatIsAssignedToMeAndNotificationsWaitForAClick() throws Exception {
        long id = throughTheApiDoor("Rosa", "Please call me back " + UUID.randomUUID().toString().substring(0, 6));
        await("routed").atMost(WAIT).ignoreExceptions()
                .until(() -> !conversation(id).path("summary").path("department").isNull());
        long mineBefore = shownCount("view-mine-count");
        Distribution.Response assigned = frontdoor.postJson("/api/v1/conversations/" + id + "/assign",
                Distribution.JSON.createObjectNode().put("agent", "admin").toString());
        assertThat(assigned.status()).isEqualTo(200);

        await("the Mine count, live").atMost(WAIT).ignoreExceptions()
                .until(() -> shownCount("view-mine-count") == mineBefore + 1);
        find("#view-mine-count").click();
        java.util.Set<Long> mine = new java.util.TreeSet<>();
        frontdoor.get("/api/v1/conversations?mine=true&limit=500").json().path("items")
                .forEach(c -> mine.add(c.path("id").asLong()));
        assertThat(mine).contains(id);
        await("exactly my conversations").atMost(WAIT).ignoreExceptions()
                .until(() -> new java.util.TreeSet<>(inboxRows().keySet()).equals(mine));
        assertThat(inboxRows().values()).allMatch(row -> row.contains("assigned to admin"));
        assertThat(find("#view-mine-count").getAttribute("aria-pressed")).isEqualTo("true");

        // the browser's permission is asked for by the button, never when the page loads
        assertThat(console.driver.executeScript("return Notification.permission")).isEqualTo("default");
        assertThat(find("#notify").getText()).isEqualTo("Notify me");
        console.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", frontdoor.url(""),
                "permissions", List.of("notifications")));
        find("#notify").click();
        await("notifications on").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#notify-on").isDisplayed());
        screenshot("mine");
        find("#view-all").click();
    }

    @Test
    @Order(94)
    void theManifestAndTheServiceWorkerLoadUnderTheStrictPolicyAndCacheNoApiAnswer() throws Exception {
        Distribution.Response manifest = frontdoor.request("GET", "/console/manifest.webmanifest", null, Map.of());
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.header("Content-Type")).startsWith("application/manifest+json");
        assertThat(frontdoor.request("GET", "/console/", null, Map.of()).header("Content-Security-Policy"))
                .contains("manifest-src 'self'").contains("worker-src 'self'").doesNotContain("unsafe");

        // Chromium's own reading of the page's manifest: found, parsed, no error (a CSP refusal would be one)
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) console.driver.executeCdpCommand("Page.getAppManifest",
                Map.of());
        assertThat(String.valueOf(app.get("url"))).endsWith("/console/manifest.webmanifest");
        assertThat((List<?>) app.get("errors")).isEmpty();
        assertThat(String.valueOf(app.get("data"))).contains("Frontdoor console");

        Object worker = console.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "navigator.serviceWorker.ready.then((r) => done(r.active.state + ' ' + r.scope))");
        assertThat(String.valueOf(worker)).isEqualTo("activated " + frontdoor.url("/console/"));
        console.driver.navigate().refresh(); // now under the worker: the shell goes into its cache
        await("the console live again").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(find("#desk").getAttribute("data-live")) && !inboxRows().isEmpty());
        @SuppressWarnings("unchecked")
        List<String> cached = (List<String>) console.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "caches.open('frontdoor-console-shell').then((c) => c.keys())"
                        + ".then((keys) => done(keys.map((k) => k.url)))");
        assertThat(cached).isNotEmpty().allMatch(url -> url.startsWith(frontdoor.url("/console/")))
                .noneMatch(url -> url.contains("/api/"));
        assertThat(cached).contains(frontdoor.url("/console/app.js"), frontdoor.url("/console/inbox.js"));
    }

    @Test
    @Order(95)
    void aDroppedStreamCatchesUpWithoutAReload() throws Exception {
        console.driver.executeScript("window.frontdoorNoReload = 'kept'");
        assertThat(find("#desk").getAttribute("data-live")).isEqualTo("yes");

        // the REST servlet goes away and comes back (the doors stay up): every open stream is cut, and what comes
        // meanwhile is in the log
        assertThat(frontdoor.shell("scr:disable org.frontdoor.web.ApiServlet")).doesNotContainIgnoringCase("error");
        await("the console sees the stream dropped").atMost(WAIT).ignoreExceptions()
                .until(() -> "no".equals(find("#desk").getAttribute("data-live")));
        String text = "Sent while the stream was down " + UUID.randomUUID().toString().substring(0, 8);
        long id = throughTheApiDoor("Sven", text);
        frontdoor.shell("scr:enable org.frontdoor.web.ApiServlet");

        await("live again, and the message that came meanwhile listed").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(find("#desk").getAttribute("data-live"))
                        && inboxRows().getOrDefault(id, "").contains(text));
        assertThat(console.driver.executeScript("return window.frontdoorNoReload")).as("no page reload")
                .isEqualTo("kept");
    }

    // --- the supervisor's dashboard and the admin pages (#/dashboard, #/admin) --------------------------------------

    /** The open conversations (new, queued, assigned, snoozed) of each row of the dashboard's queue table. */
    private Map<String, Long> dashboardRows() {
        Map<String, Long> rows = new java.util.TreeMap<>();
        for (WebElement row : all("#queues tbody tr")) {
            long open = 0;
            for (WebElement cell : row.findElements(By.cssSelector("td.new, td.queued, td.assigned, td.snoozed"))) {
                open += Long.parseLong(cell.getText());
            }
            rows.put(row.getAttribute("data-department"), open);
        }
        return rows;
    }

    /** A user with these roles who is an agent of these departments, created over REST by the admin. */
    private String user(String prefix, String roles, String departments) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Distribution.Response user = frontdoor.postJson("/api/v1/users", "{\"name\":\"" + name
                + "\",\"password\":\"" + name + "-password\",\"roles\":[" + roles + "]}");
        assertThat(user.status()).as(user.raw().body()).isEqualTo(201);
        Distribution.Response agent = frontdoor.postJson("/api/v1/agents", "{\"name\":\"" + name
                + "\",\"departments\":[" + departments + "],\"capacity\":4}");
        assertThat(agent.status()).as(agent.raw().body()).isEqualTo(201);
        return name;
    }

    /**
     * An admin's dashboard: each department's queue counted by the server, the chart drawn by uPlot under the strict
     * policy (no violation reported), and a message arriving through the api door moves its department's count without
     * a reload.
     */
    @Test
    @Order(96)
    void theDashboardsQueueCountChangesLiveWhenAMessageArrives() throws Exception {
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        console.driver.executeScript("window.frontdoorCsp = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.frontdoorCsp.push(e.violatedDirective + ' ' + e.blockedURI))");
        find("#nav-dashboard").click();
        await("the dashboard's queues").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#queues").isDisplayed() && !dashboardRows().isEmpty());
        await("the chart drawn").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(find("#volume-chart").getAttribute("data-ready"))
                        && !all("#volume-chart canvas").isEmpty());
        assertThat(find("#volume-chart").getText()).contains("api:demo");
        JsonNode served = frontdoor.get("/api/v1/dashboard/queues").json();
        Map<String, Long> before = dashboardRows();
        for (JsonNode row : served.path("departments")) {
            assertThat(before.get(row.path("department").asText(""))).as("the row of " + row.path("department"))
                    .isEqualTo(row.path("new").asLong() + row.path("queued").asLong() + row.path("assigned").asLong()
                            + row.path("snoozed").asLong());
        }
        console.driver.executeScript("window.frontdoorNoReload = 'kept'");

        String body = Distribution.JSON.createObjectNode().put("id", "m-" + UUID.randomUUID())
                .put("text", "Where is my order?").put("thread", "t-" + UUID.randomUUID())
                .set("from", Distribution.JSON.createObjectNode().put("id", "u-" + UUID.randomUUID())
                        .put("name", "Quentin")).toString();
        Distribution.Response in = frontdoor.postSigned(body);
        assertThat(in.status()).isEqualTo(202);
        long id = in.json().path("conversationId").asLong();
        await("routed").atMost(WAIT).ignoreExceptions()
                .until(() -> !conversation(id).path("summary").path("department").asText("").isEmpty());
        String department = conversation(id).path("summary").path("department").asText();

        await("one more open conversation in " + department + ", pushed").atMost(WAIT).ignoreExceptions()
                .until(() -> dashboardRows().get(department) == before.getOrDefault(department, 0L) + 1);
        assertThat(console.driver.executeScript("return window.frontdoorNoReload")).as("no page reload")
                .isEqualTo("kept");
        assertThat(console.driver.executeScript("return window.frontdoorCsp")).as("CSP violations").isEqualTo(List.of());
        assertThat(all("#agents tbody tr")).as("the agents' load and presence").isNotEmpty();
        screenshot("dashboard");
    }

    /** An agent gets no dashboard and no admin pages: no link, a refusal on the page, 403 from the routes. */
    @Test
    @Order(97)
    void anAgentHasNoDashboardAndNoAdminPages() throws Exception {
        String ivan = user("ivan", "\"agent\"", "\"support\"");
        find("#logout").click();
        console.driver.get(frontdoor.url("/console/#/"));
        consoleLogin(ivan, ivan + "-password");

        assertThat(find("#nav-inbox").isDisplayed()).isTrue();
        assertThat(all("#nav-dashboard, #nav-admin")).isEmpty();
        console.driver.get(frontdoor.url("/console/#/dashboard"));
        await("the dashboard refused").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#refused").getText().equals("The dashboard is not open to your roles."));
        console.driver.get(frontdoor.url("/console/#/admin"));
        await("the admin pages refused").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#refused").getText().equals("Administration is not open to your roles."));
        assertThat(all("#queues, #doors")).isEmpty();
        String cookie = "frontdoor_session=" + console.driver.manage().getCookieNamed("frontdoor_session").getValue();
        for (String path : List.of("/api/v1/dashboard/queues", "/api/v1/dashboard/volumes", "/api/v1/rules",
                "/api/v1/event-consumers", "/api/v1/integrations")) {
            Distribution.Response refused = frontdoor.request("GET", path, null, Map.of("Cookie", cookie));
            assertThat(refused.status()).as(path).isEqualTo(403);
        }
    }

    /**
     * The admin pages: the bare web chat instance (order 8) is DOWN with the reason and what to fix; Check runs the
     * door's own check and shows each step; the rules and event consumers are those the REST API lists.
     */
    @Test
    @Order(98)
    void anAdminSeesARefusedDoorsReasonAndRunsItsCheck() throws Exception {
        find("#logout").click();
        console.driver.get(frontdoor.url("/console/#/"));
        consoleLogin("admin", frontdoor.adminPassword());
        find("#nav-admin").click();
        String bare = "#doors li.door[data-door='webchat:bare']";
        await("the refused door with its reason").atMost(WAIT).ignoreExceptions()
                .until(() -> "DOWN".equals(find(bare).getAttribute("data-status"))
                        && find(bare + " .reason").getText().contains("'www.example.com'"));
        assertThat(find("#doors li.door[data-door='webchat:site']").getAttribute("data-status")).isEqualTo("UP");

        find(bare + " button.check").click();

        await("the check's steps").atMost(WAIT).ignoreExceptions()
                .until(() -> find(bare + " .result").getText().contains("Check failed"));
        assertThat(find(bare + " .result ul.steps").getText()).contains("token key")
                .contains("✗ allowedOrigins").contains("'www.example.com'");
        JsonNode consumers = frontdoor.get("/api/v1/event-consumers").json().path("consumers");
        assertThat(all("#consumers tbody tr")).hasSize(consumers.size());
        int rules = frontdoor.get("/api/v1/rules").json().path("rules").size();
        assertThat(all("#rules tbody tr")).hasSize(rules);
        screenshot("admin");
    }

    /**
     * A supervisor of sales sees the sales queue only, and the dashboard fits a phone-sized screen with the pages'
     * navigation at hand.
     */
    @Test
    @Order(99)
    void aSupervisorSeesTheirDepartmentsOnlyOnAPhoneSizedScreen() throws Exception {
        String sonia = user("sonia", "\"supervisor\"", "\"sales\"");
        find("#logout").click();
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        console.driver.get(frontdoor.url("/console/#/"));
        consoleLogin(sonia, sonia + "-password");
        assertThat(all("#nav-admin")).isEmpty();

        find("#nav-dashboard").click();

        await("the sales queue alone").atMost(WAIT).ignoreExceptions()
                .until(() -> dashboardRows().keySet().equals(java.util.Set.of("sales")));
        assertThat(find("#agents").getText()).contains(sonia).doesNotContain("ivan-");
        assertThat(find("#nav").isDisplayed()).isTrue();
        long width = (Long) console.driver.executeScript("return document.documentElement.clientWidth");
        assertThat((Long) console.driver.executeScript("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling").isLessThanOrEqualTo(width);
        screenshot("dashboard-phone");
    }

    /**
     * Consent in the console (issue 19): an admin records that the web chat visitor opted out (with a reason that has
     * markup in it); the customer panel shows the state, since when and why, as text; the composer says plainly that
     * nothing can be sent to them, and a reply sent anyway shows the server's own refusal (409, nothing queued). Opting
     * back in shows live. The console's script comes gzip-compressed when asked, and its ETag turns a repeat into 304.
     */
    @Test
    @Order(100)
    void theCustomerPanelShowsAnOptOutAndTheComposerTheServersRefusal() throws Exception {
        find("#logout").click();
        console.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        console.driver.get(frontdoor.url("/console/#/"));
        consoleLogin("admin", frontdoor.adminPassword());
        long customer = conversation(current).path("summary").path("customerId").asLong();
        String handle = null;
        for (JsonNode identity : frontdoor.get("/api/v1/customers/" + customer).json().path("identities")) {
            if (identity.path("channel").asText().equals("webchat")) {
                handle = identity.path("handle").asText();
            }
        }
        assertThat(handle).as("the visitor's web chat identity").isNotNull();
        String reason = "asked <b>not</b> to be written to & said so twice";
        Distribution.Response stop = frontdoor.postJson("/api/v1/customers/" + customer + "/consent",
                Distribution.JSON.createObjectNode().put("channel", "webchat").put("handle", handle)
                        .put("state", "opted-out").put("reason", reason).toString());
        assertThat(stop.status()).as(stop.raw().body()).isEqualTo(200);

        console.driver.get(frontdoor.url("/console/#/c/" + current));
        String identity = "#identities li[data-channel='webchat'] .consent";
        await("the opt-out in the customer panel").atMost(WAIT).ignoreExceptions()
                .until(() -> "opted-out".equals(find(identity).getAttribute("data-state")));
        assertThat(find(identity).getText()).startsWith("opted out since ").contains("recorded by admin: " + reason);
        assertThat(find("#identities").findElements(By.cssSelector("b"))).as("the reason is text").isEmpty();
        assertThat(find("#opted-out").getText()).contains("The customer opted out on webchat " + handle)
                .contains(reason).contains("refuses to send them anything until they opt in again");
        int replies = conversation(current).path("replies").size();
        String text = "Sent to someone who opted out " + UUID.randomUUID().toString().substring(0, 8);
        find("#composer").sendKeys(text);
        await("the counter").atMost(WAIT).ignoreExceptions()
                .until(() -> find("#counter").getAttribute("data-length").equals(Integer.toString(text.length())));

        find("#send").click();

        // the words the server refuses with over REST, shown as they are
        Distribution.Response refused = frontdoor.postJson("/api/v1/conversations/" + current + "/replies",
                Distribution.JSON.createObjectNode().put("text", text).toString());
        assertThat(refused.status()).isEqualTo(409);
        String refusal = refused.json().path("error").asText();
        assertThat(refusal).contains("webchat " + handle).contains("opted out (" + reason + ")");
        await("the server's refusal in the composer").atMost(WAIT).ignoreExceptions()
                .until(() -> find(".composer p.error[role='alert']").getText().equals(refusal));
        assertThat(conversation(current).path("replies").size()).as("nothing queued").isEqualTo(replies);
        assertThat(find("#composer").getAttribute("value")).as("the agent's text is kept").isEqualTo(text);
        screenshot("consent");

        Distribution.Response start = frontdoor.postJson("/api/v1/customers/" + customer + "/consent",
                Distribution.JSON.createObjectNode().put("channel", "webchat").put("handle", handle)
                        .put("state", "opted-in").put("reason", "wrote again and asked for answers").toString());
        assertThat(start.status()).as(start.raw().body()).isEqualTo(200);
        await("opted in again, shown live").atMost(WAIT).ignoreExceptions()
                .until(() -> "opted-in".equals(find(identity).getAttribute("data-state")) && all("#opted-out").isEmpty());
        assertThat(find(identity).getText()).startsWith("opted in since ")
                .contains("recorded by admin: wrote again and asked for answers");

        // the page's script and style, asked for as Chromium asks: compressed, validated by their ETag
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<byte[]> gzip = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(frontdoor.url("/console/conversation.js"))).header("Accept-Encoding", "gzip").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzip.headers().firstValue("Content-Length")).hasValue(Integer.toString(gzip.body().length));
        assertThat(gzip.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(gzip.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(frontdoor.request("GET", "/console/conversation.js", null, Map.of()).body());
        }
        String etag = gzip.headers().firstValue("ETag").orElseThrow();
        java.net.http.HttpResponse<byte[]> again = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(frontdoor.url("/console/conversation.js"))).header("Accept-Encoding", "gzip")
                .header("If-None-Match", etag).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("Content-Security-Policy")).isPresent();
    }
}
