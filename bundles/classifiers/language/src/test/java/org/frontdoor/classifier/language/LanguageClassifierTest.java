package org.frontdoor.classifier.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped language classifier, with its default languages, on real customer messages. */
class LanguageClassifierTest {

    private static LanguageClassifier classifier;

    @BeforeAll
    static void start() {
        classifier = new LanguageClassifier(config(Map.of()));
    }

    @AfterAll
    static void stop() {
        classifier.deactivate();
    }

    @Test
    void findsTheLanguageOfEachMessage() {
        Map<String, String> texts = Map.of(
                "Bonjour, ma commande n'est toujours pas arrivée et personne ne répond à mes courriels.", "fr",
                "Hello, my order still has not arrived and nobody answers my emails.", "en",
                "Hallo, meine Bestellung ist immer noch nicht angekommen und niemand beantwortet meine E-Mails.", "de",
                "Hola, mi pedido todavía no ha llegado y nadie responde a mis correos.", "es",
                "Ciao, il mio ordine non è ancora arrivato e nessuno risponde alle mie email.", "it",
                "Olá, a minha encomenda ainda não chegou e ninguém responde aos meus emails.", "pt",
                "Hallo, mijn bestelling is nog steeds niet aangekomen en niemand beantwoordt mijn e-mails.", "nl");
        texts.forEach((text, code) -> {
            List<Annotation> found = classifier.classify(message(text));
            assertThat(found).as(text).hasSize(1);
            assertThat(found.get(0).name()).isEqualTo("language");
            assertThat(found.get(0).value()).as(text).isEqualTo(code);
            assertThat(found.get(0).confidence()).as(text).isBetween(0.5, 1.0);
        });
    }

    @Test
    void saysNothingWhenItCannotTell() {
        assertThat(classifier.classify(message("12345 !!! ???"))).isEmpty();
        assertThat(classifier.classify(message("   "))).isEmpty();
        // Japanese is not among the languages considered: no language is claimed for it with confidence
        assertThat(classifier.classify(message("注文した商品がまだ届きません"))).allSatisfy(a ->
                assertThat(a.value()).isNotEqualTo("fr"));
    }

    @Test
    void aLongMessageIsLookedAtOnlyInItsHead() {
        String french = "Je voudrais annuler mon abonnement, merci de me rembourser le dernier mois. ";
        String text = french.repeat(30) + "x".repeat(1_000_000 - french.length() * 30);
        assertThat(classifier.classify(message(text))).extracting(Annotation::value).containsExactly("fr");
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> LanguageDetection.of(new String[] {"en", "xx"}, 0.5, 100))
                .hasMessageContaining("xx is not an ISO 639-1 code");
        assertThatThrownBy(() -> LanguageDetection.of(new String[] {"en"}, 0.5, 100))
                .hasMessageContaining("at least two");
        assertThatThrownBy(() -> LanguageDetection.of(new String[] {"en", "fr"}, 1.5, 100))
                .hasMessageContaining("minConfidence");
    }

    @Test
    void aNarrowerSetTellsOnlyThoseApart() {
        LanguageDetection two = LanguageDetection.of(new String[] {"EN", " de "}, 0.0, 2000);
        try {
            assertThat(two.languages()).containsExactlyInAnyOrder("en", "de");
            assertThat(two.detect("Wo ist meine Rechnung? Ich warte seit drei Wochen.")).get()
                    .extracting(Annotation::value).isEqualTo("de");
        } finally {
            two.close();
        }
    }

    static Message message(String text) {
        return Message.inbound("api", "main").externalId("m1").author(Identity.of("api", "ann@example.com"))
                .text(text).receivedAt(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    /** The configuration as DS gives it: the defaults of the annotation, overridden by {@code values}. */
    static LanguageClassifierConfig config(Map<String, Object> values) {
        return (LanguageClassifierConfig) Proxy.newProxyInstance(LanguageClassifierConfig.class.getClassLoader(),
                new Class<?>[] {LanguageClassifierConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "LanguageClassifierConfig" + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
