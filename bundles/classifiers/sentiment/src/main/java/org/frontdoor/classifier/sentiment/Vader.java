package org.frontdoor.classifier.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * VADER's scoring (Hutto and Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media
 * Text", ICWSM 2014) over its lexicon of about 7,500 English words, emoticons and slang, each rated from -4 to +4 by
 * ten people. The rules are the paper's: a word in capitals among words that are not, a booster before it ("very",
 * "hardly"), a negation up to three words before it ("not", "never", "isn't"), "but" (what follows counts more), and
 * exclamation marks. The sum is squashed into the compound score, from -1 (most negative) to +1 (most positive).
 *
 * <p>It reads English: a text in another language usually has none of the lexicon's words, and then {@link #score}
 * says so rather than calling it neutral.
 */
final class Vader {

    static final String LEXICON = "vader_sentiment_lexicon.txt";

    private static final double BOOST = 0.293;
    private static final double CAPS = 0.733;
    private static final double NEGATION = -0.74;
    private static final double ALPHA = 15;

    private static final Set<String> NEGATIONS = Set.of("aint", "arent", "cannot", "cant", "couldnt", "darent",
            "didnt", "doesnt", "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt",
            "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't",
            "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
            "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't", "shouldn't", "uh-uh",
            "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite");

    private static final Map<String, Double> BOOSTERS = boosters();

    private final Map<String, Double> lexicon;

    private Vader(Map<String, Double> lexicon) {
        this.lexicon = lexicon;
    }

    /** VADER with the lexicon shipped in this bundle. */
    static Vader load() {
        try (InputStream in = Vader.class.getResourceAsStream(LEXICON)) {
            if (in == null) {
                throw new IllegalStateException(LEXICON + " is missing from the bundle");
            }
            return new Vader(read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LEXICON, e);
        }
    }

    /** Lines of "token TAB mean-rating TAB ...". */
    static Map<String, Double> read(InputStream in) throws IOException {
        Map<String, Double> words = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String[] parts = line.split("\t");
            if (parts.length >= 2) {
                words.put(parts[0].strip().toLowerCase(Locale.ROOT), Double.parseDouble(parts[1].strip()));
            }
        }
        return words;
    }

    int size() {
        return lexicon.size();
    }

    /**
     * The score of a text.
     *
     * @param compound    -1 to +1
     * @param lexiconHits how many of its words are in the lexicon
     * @param english     whether it has any of the lexicon's words or of the commonest English words: without either,
     *                    VADER has nothing to say about it (most likely it is not English)
     */
    record Score(double compound, int lexiconHits, boolean english) {
    }

    /** English words that carry no sentiment but say a text is English. */
    private static final Set<String> ENGLISH = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "at",
            "for", "with", "from", "is", "are", "was", "were", "be", "been", "have", "has", "had", "do", "does", "did",
            "i", "you", "my", "your", "we", "our", "it", "this", "that", "what", "which", "when", "where", "who", "how",
            "can", "could", "would", "will", "should", "please", "there", "today", "order", "account");

    Score score(String text) {
        List<String> words = words(text);
        boolean capsDiffer = capsDiffer(words);
        double[] sentiments = new double[words.size()];
        int hits = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String lower = word.toLowerCase(Locale.ROOT);
            if (BOOSTERS.containsKey(lower)
                    || (lower.equals("kind") && i + 1 < words.size() && words.get(i + 1).equalsIgnoreCase("of"))) {
                continue;
            }
            Double rated = lexicon.get(lower);
            if (rated == null) {
                continue;
            }
            hits++;
            double valence = rated;
            if (capsDiffer && isUpper(word)) {
                valence += Math.signum(valence) * CAPS;
            }
            for (int back = 1; back <= 3 && i - back >= 0; back++) {
                String before = words.get(i - back).toLowerCase(Locale.ROOT);
                if (!lexicon.containsKey(before)) {
                    double boost = boost(words.get(i - back), valence, capsDiffer);
                    valence += boost * (back == 2 ? 0.95 : back == 3 ? 0.9 : 1);
                }
                if (negation(before)) {
                    valence *= NEGATION;
                }
            }
            sentiments[i] = valence;
        }
        butCheck(words, sentiments);
        double sum = 0;
        for (double s : sentiments) {
            sum += s;
        }
        if (sum != 0) {
            sum += Math.signum(sum) * punctuation(text);
        }
        double compound = sum / Math.sqrt(sum * sum + ALPHA);
        boolean english = hits > 0;
        for (int i = 0; i < words.size() && !english; i++) {
            english = ENGLISH.contains(words.get(i).toLowerCase(Locale.ROOT));
        }
        return new Score(Math.max(-1, Math.min(1, compound)), hits, english);
    }

    /** What follows "but" counts half again, what comes before it half. */
    private static void butCheck(List<String> words, double[] sentiments) {
        int but = -1;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase("but")) {
                but = i;
                break;
            }
        }
        if (but < 0) {
            return;
        }
        for (int i = 0; i < sentiments.length; i++) {
            sentiments[i] *= i < but ? 0.5 : i > but ? 1.5 : 1;
        }
    }

    /** Exclamation marks (up to four) and question marks make a sentiment stronger. */
    private static double punctuation(String text) {
        long bangs = Math.min(4, text.chars().filter(c -> c == '!').count());
        long questions = text.chars().filter(c -> c == '?').count();
        double amplifier = bangs * 0.292;
        if (questions > 1) {
            amplifier += questions <= 3 ? questions * 0.18 : 0.96;
        }
        return amplifier;
    }

    private static double boost(String word, double valence, boolean capsDiffer) {
        Double scalar = BOOSTERS.get(word.toLowerCase(Locale.ROOT));
        if (scalar == null) {
            return 0;
        }
        double b = valence < 0 ? -scalar : scalar;
        if (capsDiffer && isUpper(word)) {
            b += valence > 0 ? CAPS : -CAPS;
        }
        return b;
    }

    private static boolean negation(String lower) {
        return NEGATIONS.contains(lower) || lower.contains("n't");
    }

    /** Words split on white space, with punctuation stripped from their ends unless that leaves 2 characters or fewer (emoticons). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            String stripped = strip(token);
            String word = stripped.length() <= 2 ? token : stripped;
            if (word.length() > 1) {
                words.add(word);
            }
        }
        return words;
    }

    private static String strip(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && isPunctuation(token.charAt(start))) {
            start++;
        }
        while (end > start && isPunctuation(token.charAt(end - 1))) {
            end--;
        }
        return token.substring(start, end);
    }

    private static boolean isPunctuation(char c) {
        return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
    }

    private static boolean isUpper(String word) {
        boolean letters = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLowerCase(c)) {
                return false;
            }
            letters |= Character.isUpperCase(c);
        }
        return letters;
    }

    /** Some words, not all, in capitals: then those in capitals are shouted. */
    private static boolean capsDiffer(List<String> words) {
        int upper = 0;
        for (String w : words) {
            if (isUpper(w)) {
                upper++;
            }
        }
        return upper > 0 && upper < words.size();
    }

    private static Map<String, Double> boosters() {
        Map<String, Double> m = new HashMap<>();
        for (String w : List.of("absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
                "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
                "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
                "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
                "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
                "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
                "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
                "utter", "utterly", "very")) {
            m.put(w, BOOST);
        }
        for (String w : List.of("almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little",
                "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight",
                "slightly", "somewhat", "sorta", "sortof", "sort-of")) {
            m.put(w, -BOOST);
        }
        return Map.copyOf(m);
    }
}
