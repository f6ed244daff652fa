package org.frontdoor.distribution;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The web chat widget in a page the browser shows, read and used as a visitor would. */
final class WidgetPage {

    private static final Duration WAIT = Duration.ofMinutes(1);

    private final Browser browser;

    WidgetPage(Browser browser) {
        this.browser = browser;
    }

    /** The widget's shadow root. */
    SearchContext widget() {
        WebElement host = browser.driver.findElement(By.cssSelector("[data-frontdoor-webchat]"));
        return host.getShadowRoot();
    }

    /** An attribute of the widget's host element (data-transport, data-status, data-typing, ...), or null. */
    String hostAttribute(String name) {
        return browser.driver.findElement(By.cssSelector("[data-frontdoor-webchat]")).getDomAttribute(name);
    }

    /** Opens a page with the widget, waits until it is connected, and opens the chat. */
    void open(String url) {
        browser.driver.get(url);
        await("the widget connected").atMost(WAIT).ignoreExceptions()
                .until(() -> hostAttribute("data-transport") != null);
        widget().findElement(By.cssSelector("button.launch")).click();
    }

    /** Types a message and sends it. */
    void type(String text) {
        WebElement input = widget().findElement(By.cssSelector("textarea"));
        input.sendKeys(text);
        widget().findElement(By.cssSelector("button.send")).click();
    }

    /** The texts of the chat's rows of one kind ("visitor" or "agent"), as the page shows them (without notes). */
    List<String> rows(String kind) {
        return widget().findElements(By.cssSelector("li." + kind)).stream()
                .map(e -> (String) browser.driver.executeScript("return arguments[0].firstChild.nodeValue", e)).toList();
    }

    /** How many of the visitor's messages show as stored. */
    int sent() {
        return widget().findElements(By.cssSelector("li.visitor.sent")).size();
    }

    /** The id of the visitor's row that shows "Seen", or "none". */
    String seenUnder() {
        List<WebElement> notes = widget().findElements(By.cssSelector("li.visitor .seen"));
        if (notes.isEmpty()) {
            return "none";
        }
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).getText()).isEqualTo("Seen");
        return (String) browser.driver.executeScript("return arguments[0].parentNode.getAttribute('data-id')",
                notes.get(0));
    }

    /** The text of an element of the widget, by CSS selector. */
    String text(String selector) {
        return widget().findElement(By.cssSelector(selector)).getText();
    }
}
