package org.frontdoor.classifier.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Annotation;

/**
 * Scores the sentiment classifier on a labelled file, for docs/routing.md: {@code java ... LabelledScore FILE}.
 * A line is either "label TAB text" (labels negative, neutral, positive) or VADER's ground truth, "id TAB mean rating
 * TAB text" (ratings from -4 to +4: below 0 is negative, above 0 positive, as in the VADER paper's evaluation).
 */
public final class LabelledScore {

    public static void main(String[] args) throws IOException {
        SentimentClassifier classifier = new SentimentClassifier(SentimentClassifierTest.config(Map.of()));
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        int total = 0;
        int right = 0;
        int polarTotal = 0;
        int polarRight = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t");
            String label;
            String text;
            if (parts.length >= 3) {
                double rating = Double.parseDouble(parts[1]);
                label = rating > 0 ? "positive" : rating < 0 ? "negative" : "neutral";
                text = parts[2];
            } else {
                label = parts[0];
                text = parts[1];
            }
            List<Annotation> found = classifier.classify(SentimentClassifierTest.message(text));
            String value = found.isEmpty() ? "none" : found.get(0).value();
            total++;
            if (value.equals(label)) {
                right++;
            }
            if (!label.equals("neutral")) {
                polarTotal++;
                if (value.equals(label)) {
                    polarRight++;
                }
            } else if (args.length > 1) {
                System.out.println(value + " <- neutral: " + text);
            }
            if (args.length > 1 && !value.equals(label) && !label.equals("neutral")) {
                System.out.println(value + " <- " + label + ": " + text);
            }
        }
        System.out.printf("%d of %d right (%.1f%%); of the %d negative or positive, %d right (%.1f%%)%n", right, total,
                100.0 * right / total, polarTotal, polarRight, 100.0 * polarRight / polarTotal);
    }
}
