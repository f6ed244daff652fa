package org.frontdoor.channel.mastodon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Visibility;
import org.frontdoor.testkit.MastodonPeer;
import org.frontdoor.testkit.MemoryDoorStates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The puller against a local Mastodon: stream, drop, catch-up, restart, token refused. */
class MastodonInstanceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "token-ZA-" + System.nanoTime();

    @TempDir
    Path data;
    private MastodonPeer peer;
    private final Instances.Store store = new Instances.Store();
    private final List<MastodonInstance> started = new ArrayList<>();

    @BeforeEach
    void peer() throws Exception {
        peer = new MastodonPeer("brand", TOKEN);
    }

    @AfterEach
    void stop() {
        started.forEach(MastodonInstance::deactivate);
        peer.close();
        assertThat(peer.problems()).as("requests not as Mastodon documents them").isEmpty();
    }

    private MastodonInstance start(Map<String, Object> more) {
        MastodonInstance instance = Instances.instance(peer, TOKEN, store, data, more);
        started.add(instance);
        return instance;
    }

    private MastodonInstance streaming(Map<String, Object> more) {
        MastodonInstance instance = start(more);
        await("UP").atMost(WAIT).until(() -> instance.health().status() == Status.UP);
        return instance;
    }

    @Test
    void aMentionOnTheStreamIsStoredOnceAndTheDoorIsUp() throws Exception {
        peer.maxCharacters(1000);
        MastodonInstance brand = streaming(Map.of());

        peer.other("favourite", "haskal@cybre.space");
        peer.mention("alice@other.example", "public", "<p>@brand my order <b>5521</b> never arrived</p>", null);
        peer.heartbeat();

        await("the mention stored").atMost(WAIT).until(() -> store.kept.size() == 1);
        assertThat(store.texts()).containsExactly("@brand my order 5521 never arrived");
        assertThat(store.calls.get(0).visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(store.calls.get(0).author().handle()).isEqualTo("alice@other.example");
        assertThat(brand.health().status()).isEqualTo(Status.UP);
        assertThat(brand.capabilities()).isEqualTo(new ChannelCapabilities(1000 - MastodonInstance.MENTION_ROOM,
                ChannelCapabilities.LengthCounting.MASTODON, false, true, true, true,
                ChannelCapabilities.Markup.NONE, false));
        // the favourite's notification moved the mark too: it is the newest seen
        await().atMost(WAIT).until(() -> brand.newestSeen() != null && store.states.read("mastodon", "brand",
                NewestSeen.KEY).map(e -> e.value().equals(peer.url() + "\n" + brand.newestSeen())).orElse(false));
        assertThat(data).isEmptyDirectory();
    }

    @Test
    void aMentionPostedWhileTheStreamWasDownIsCaughtUpOnceAndTheDoorWasDegradedMeanwhile() throws Exception {
        MastodonInstance brand = streaming(Map.of());
        peer.mention("bob", "public", "<p>first</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1);

        peer.refuseStreams(true);
        peer.dropStreams();
        await("DEGRADED while reconnecting").atMost(WAIT).until(() -> brand.health().status() == Status.DEGRADED);
        assertThat(brand.health().reason()).contains("127.0.0.1:" + peer.url().replaceAll(".*:", ""));
        peer.mentionUnstreamed("carol", "direct", "<p>posted in the gap</p>", null);
        peer.refuseStreams(false);

        await("caught up").atMost(WAIT).until(() -> store.kept.size() == 2);
        await("UP again").atMost(WAIT).until(() -> brand.health().status() == Status.UP);
        assertThat(store.texts()).containsExactly("first", "posted in the gap");
        // a reconnect with nothing new in between stores nothing
        peer.mention("dave", "public", "<p>both</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 3);
        peer.dropStreams();
        await("streaming again").atMost(WAIT).until(() -> peer.openStreams() == 1 && peer.streamsOpened() >= 3
                && brand.health().status() == Status.UP);
        assertThat(store.kept).hasSize(3);
        assertThat(peer.notificationQueries()).allSatisfy(q -> assertThat(q).contains("types%5B%5D=mention"));
    }

    @Test
    void aRestartCatchesUpFromTheKeptMarkAcrossPagesOldestFirst() throws Exception {
        MastodonInstance first = streaming(Map.of());
        peer.mention("erin", "public", "<p>before</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1);
        first.deactivate();
        started.remove(first);
        for (int i = 1; i <= 45; i++) {
            peer.mentionUnstreamed("fan" + i, "public", "<p>while stopped " + i + "</p>", null);
        }

        streaming(Map.of());

        await("all 45 caught up").atMost(WAIT).until(() -> store.kept.size() == 46);
        List<String> texts = store.texts();
        assertThat(texts.get(1)).isEqualTo("while stopped 1");
        assertThat(texts.get(45)).isEqualTo("while stopped 45");
        assertThat(store.calls).hasSize(46);
        assertThat(peer.notificationQueries()).anySatisfy(q -> assertThat(q).contains("max_id="));
    }

    @Test
    void anotherNodeOrAReinstalledDoorCatchesUpFromTheMarkInTheDatabaseNotAFile() throws Exception {
        MastodonInstance first = streaming(Map.of());
        peer.mention("erin", "public", "<p>before</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1 && first.newestSeen() != null
                && store.states.read("mastodon", "brand", NewestSeen.KEY).isPresent());
        first.deactivate();
        started.remove(first);
        peer.mentionUnstreamed("fan", "public", "<p>while away</p>", null);

        // another node: its own data directory, the same database
        Path otherNode = Files.createTempDirectory(data, "node-b");
        MastodonInstance second = Instances.instance(peer, TOKEN, store, otherNode, Map.of());
        started.add(second);
        await("caught up once").atMost(WAIT).until(() -> store.kept.size() == 2);
        assertThat(store.texts()).containsExactly("before", "while away");
        assertThat(store.calls).hasSize(2);
    }

    @Test
    void anOlderDoorsMarkFileIsMovedIntoTheDatabaseOnce() throws Exception {
        MastodonInstance first = streaming(Map.of());
        peer.mention("erin", "public", "<p>seen by the older door</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1 && first.newestSeen() != null);
        String seen = first.newestSeen();
        first.deactivate();
        started.remove(first);
        peer.mentionUnstreamed("fan", "public", "<p>after the upgrade</p>", null);
        // the upgrade: the older door left its file; the database knows nothing yet
        store.states = new MemoryDoorStates();
        Files.writeString(data.resolve("mastodon-brand.since"), peer.url() + "\n" + seen + "\n");

        streaming(Map.of());
        await("only what came after the file's mark").atMost(WAIT).until(() -> store.kept.size() == 2);
        assertThat(store.texts()).containsExactly("seen by the older door", "after the upgrade");
        assertThat(data.resolve("mastodon-brand.since")).doesNotExist();
    }

    @Test
    void aMarkThatCannotBeReadFromTheDatabaseHoldsTheCatchUpUntilItCan() throws Exception {
        MastodonInstance first = streaming(Map.of());
        peer.mention("erin", "public", "<p>before</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1
                && store.states.read("mastodon", "brand", NewestSeen.KEY).isPresent());
        first.deactivate();
        started.remove(first);
        peer.mentionUnstreamed("fan", "public", "<p>while away</p>", null);
        store.states.down(true);

        MastodonInstance second = start(Map.of());
        await("DEGRADED, saying why").atMost(WAIT).until(() -> second.health().status() == Status.DEGRADED
                && second.health().reason().contains("could not be read from the database"));
        assertThat(store.kept).hasSize(1);
        store.states.down(false);
        await("caught up once").atMost(WAIT).until(() -> store.kept.size() == 2);
        assertThat(store.calls).hasSize(2);
    }

    @Test
    void theFirstStartTakesOnlyMentionsFromNowOnUnlessABacklogIsAsked() throws Exception {
        peer.mentionUnstreamed("old", "public", "<p>last year</p>", null);
        MastodonInstance brand = streaming(Map.of());
        peer.mention("new", "public", "<p>today</p>", null);
        await().atMost(WAIT).until(() -> store.kept.size() == 1);
        assertThat(store.texts()).containsExactly("today");
        brand.deactivate();
        started.remove(brand);

        store.states = new MemoryDoorStates(); // a new database: nothing seen yet
        streaming(Map.of("initialBacklog", 5));

        await().atMost(WAIT).until(() -> store.kept.size() == 2);
        assertThat(store.texts()).containsExactly("today", "last year");
    }

    @Test
    void aMentionCoreCannotStoreNowIsTakenAgainAfterTheReconnect() throws Exception {
        MastodonInstance brand = streaming(Map.of());
        store.failure = new IllegalStateException("the database is not reachable");
        peer.mention("gail", "public", "<p>retry me</p>", null);
        await("DEGRADED").atMost(WAIT).until(() -> brand.health().status() == Status.DEGRADED
                && brand.health().reason().contains("the database is not reachable"));
        store.failure = null;

        await("stored after the reconnect").atMost(WAIT).until(() -> store.kept.size() == 1);
        assertThat(store.texts()).containsExactly("retry me");
    }

    @Test
    void aStreamSilentForStreamIdleSecondsIsOpenedAgainAndNothingIsMissed() throws Exception {
        MastodonInstance brand = streaming(Map.of("streamIdleSeconds", 5));
        long opened = peer.streamsOpened();
        // the peer sends no heartbeat: after 5 s of silence the door takes the stream as dead
        await("a new stream").atMost(WAIT).until(() -> peer.streamsOpened() > opened);
        peer.mention("hal", "public", "<p>after the silence</p>", null);

        await().atMost(WAIT).until(() -> store.kept.size() == 1);
        assertThat(store.texts()).containsExactly("after the silence");
        assertThat(brand.health().status()).isIn(Status.UP, Status.DEGRADED);
    }

    @Test
    void aRefusedTokenIsAuthExpiredWithTheReasonAndWithoutTheToken() throws Exception {
        MastodonInstance brand = streaming(Map.of());
        peer.token("another-" + TOKEN);
        peer.dropStreams();

        await("AUTH_EXPIRED").atMost(WAIT).until(() -> brand.health().status() == Status.AUTH_EXPIRED);
        assertThat(brand.health().reason()).contains("Mastodon refused the access token")
                .contains("The access token is invalid").contains("set 'accessToken' in " + Instances.FILE)
                .doesNotContain(TOKEN);
    }

    @Test
    void anUnusableCfgIsDownWithTheKeyAndTheFix() {
        MastodonInstance noToken = start(Map.of("accessToken", ""));
        MastodonInstance badUrl = Instances.instance(peer, TOKEN, store, data, Map.of("baseUrl", "mastodon.social"));
        started.add(badUrl);

        assertThat(noToken.health().status()).isEqualTo(Status.DOWN);
        assertThat(noToken.health().reason()).contains("set 'accessToken' in " + Instances.FILE)
                .contains("read:notifications and write:statuses");
        assertThat(badUrl.health().status()).isEqualTo(Status.DOWN);
        assertThat(badUrl.health().reason()).contains("'baseUrl' in " + Instances.FILE);
        assertThat(peer.streamsOpened()).isZero();
    }
}
