package org.frontdoor.distribution;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Frontdoor nodes on one PostgreSQL database, as an installation scaled out behind a load balancer: a visitor's
 * browser is connected to one node while the agent works on the other. What the agent does (take the conversation,
 * type, read, reply) reaches the visitor through the event log, which each node follows with a copy of its own of the
 * web chat's consumer ({@code everyNode=true}). On PostgreSQL only: two nodes share a database server, which the
 * embedded H2 is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTwoNodesWebchatIT {

    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String CFG = "org.frontdoor.channel.webchat-site.cfg";

    private Database database;
    private Distribution a;
    private Distribution b;
    private WebchatSite siteA;
    private WebchatSite siteB;
    private Browser browser;
    private WidgetPage page;

    @BeforeAll
    void boot() throws Exception {
        database = Database.postgresql();
        String secret = "it-secret-" + UUID.randomUUID();
        URI nowhere = URI.create("http://127.0.0.1:9/unused");
        // one after the other, as an admin adds a node: the second finds the schema migrated
        a = new Distribution("PostgresTwoNodesWebchatIT-a", database, secret, nowhere).start();
        b = new Distribution("PostgresTwoNodesWebchatIT-b", database, secret, nowhere).sharingAdminOf(a).start();
        siteA = new WebchatSite(a.url("/webchat/site/widget.js"));
        siteB = new WebchatSite(b.url("/webchat/site/widget.js"));
        a.writeEtc(CFG, "allowedOrigins = " + siteA.origin() + "\n");
        b.writeEtc(CFG, "allowedOrigins = " + siteB.origin() + "\n");
        // B first: were the consumer's name shared by the nodes, B would hold it and A's visitors would hear nothing
        b.shell("feature:install frontdoor-channel-webchat");
        awaitWebchatUp(b);
        a.shell("feature:install frontdoor-channel-webchat");
        awaitWebchatUp(a);
        browser = new Browser();
        page = new WidgetPage(browser);
    }

    @AfterAll
    void shutdown() throws Exception {
        try (Database db = database; Distribution first = a; Distribution second = b; WebchatSite s1 = siteA;
             WebchatSite s2 = siteB; Browser br = browser) {
            for (Distribution node : new Distribution[]{a, b}) {
                if (node != null) {
                    assertThat(node.logProblems()).as("errors in karaf.log").isEmpty();
                }
            }
        }
    }

    private static void awaitWebchatUp(Distribution node) {
        await("the web chat instance UP").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> node.shell("frontdoor:channel-list").lines()
                        .anyMatch(l -> l.contains("webchat") && l.contains("site") && l.contains("UP"))
                        && node.request("GET", "/webchat/site/widget.js", null, Map.of()).status() == 200);
    }

    /** A visitor on a fresh page of a site writes; the conversation's id once it is stored and routed. */
    private long visitorWrites(WebchatSite site, Distribution agentsNode, String text) throws Exception {
        long before = total(agentsNode);
        page.open(site.url("/"));
        page.type(text);
        await("the message stored").atMost(WAIT).ignoreExceptions().until(() -> page.sent() == 1);
        await("seen by the agent's node").atMost(WAIT).until(() -> total(agentsNode) == before + 1);
        long id = agentsNode.get("/api/v1/conversations?channel=webchat&limit=1").json().path("items").path(0)
                .path("id").asLong();
        JsonNode detail = agentsNode.get("/api/v1/conversations/" + id).json();
        assertThat(detail.path("messages").path(0).path("text").asText()).isEqualTo(text);
        await("routed").atMost(WAIT).until(() -> !agentsNode.get("/api/v1/conversations/" + id).json()
                .path("summary").path("department").isNull());
        return id;
    }

    private static long total(Distribution node) throws Exception {
        return node.get("/api/v1/conversations?channel=webchat&limit=1").json().path("total").asLong();
    }

    private static void post(Distribution node, String path, String body) throws Exception {
        Distribution.Response answer = node.postJson(path, body);
        assertThat(answer.status()).as(path + ": " + answer.raw().body()).isBetween(200, 202);
    }

    @Test
    @Order(1)
    void aVisitorOnOneNodeSeesWhatAnAgentDoesOnTheOther() throws Exception {
        long id = visitorWrites(siteA, b, "Hello, node A");
        String conversation = "/api/v1/conversations/" + id;

        post(b, conversation + "/assign", "{}");
        await("agent joined, told by node A").atMost(WAIT).ignoreExceptions()
                .until(() -> "assigned".equals(page.hostAttribute("data-status")));
        post(b, conversation + "/typing", "{}");
        await("typing, told by node A").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(page.hostAttribute("data-typing")));
        post(b, conversation + "/read", "{}");
        long message = b.get(conversation).json().path("messages").path(0).path("id").asLong();
        await("Seen, told by node A").atMost(WAIT).ignoreExceptions()
                .until(() -> page.seenUnder().equals("m" + message));

        // either node may deliver each reply; the visitor gets every one, once
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            texts.add("Reply " + i + " from node B");
            post(b, conversation + "/replies", Distribution.JSON.createObjectNode().put("text", texts.get(i)).toString());
        }
        await("every reply in the page").atMost(WAIT).ignoreExceptions()
                .until(() -> page.rows("agent").containsAll(texts));
        assertThat(page.rows("agent")).doesNotHaveDuplicates().hasSize(6);
        await("all SENT").atMost(WAIT).until(() -> {
            List<String> statuses = new ArrayList<>();
            a.get(conversation).json().path("replies").forEach(r -> statuses.add(r.path("status").asText()));
            return statuses.size() == 6 && statuses.stream().allMatch("SENT"::equals);
        });
    }

    @Test
    @Order(2)
    void andTheOtherWayRound() throws Exception {
        long id = visitorWrites(siteB, a, "Hello, node B");
        String conversation = "/api/v1/conversations/" + id;

        post(a, conversation + "/typing", "{}");
        await("typing, told by node B").atMost(WAIT).ignoreExceptions()
                .until(() -> "yes".equals(page.hostAttribute("data-typing")));
        post(a, conversation + "/replies", "{\"text\": \"Answered on node A\"}");
        await("the reply in the page").atMost(WAIT).ignoreExceptions()
                .until(() -> page.rows("agent").equals(List.of("Answered on node A")));
    }

    @Test
    @Order(3)
    void eachNodeFollowsTheLogWithACopyOfItsOwn() throws Exception {
        String consumers = a.shell("frontdoor:event-consumer-list");
        assertThat(consumers.lines().filter(l -> l.contains("channel-webchat@"))).as(consumers).hasSize(2);
        assertThat(b.shell("frontdoor:event-consumer-list").lines().filter(l -> l.contains("channel-webchat@")))
                .hasSize(2);
    }
}
