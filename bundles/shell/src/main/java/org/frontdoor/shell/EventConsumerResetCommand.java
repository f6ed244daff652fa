package org.frontdoor.shell;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;

@Command(scope = "frontdoor", name = "event-consumer-reset",
        description = "Rewinds or forwards an events consumer: it goes on after the position given, its missed events "
                + "and last error are forgotten, and the node delivering to it stops and goes on from there within "
                + "seconds (under the next lease generation)")
@Service
public class EventConsumerResetCommand extends StatusAction {

    @Argument(index = 0, name = "name", required = true, description = "The consumer, as event-consumer-list shows it")
    String name;

    @Option(name = "--to", description = "A position (the consumer goes on with the event after it), beginning (the "
            + "oldest event the log holds) or end (only what is committed from now on)")
    String to;

    /** Karaf reads options only before the arguments: {@code NAME --to end} arrives here as two more arguments. */
    @Argument(index = 1, name = "to", multiValued = true, description = "--to POSITION|beginning|end, after the name")
    List<String> after;

    @Override
    void execute(PipelineStatus status) {
        if (!admin("Moving an event consumer")) {
            return;
        }
        if (after != null && !after.isEmpty()) {
            if (to == null && after.size() == 2 && after.get(0).equals("--to")) {
                to = after.get(1);
            } else if (to == null && after.size() == 1 && after.get(0).startsWith("--to=")) {
                to = after.get(0).substring("--to=".length());
            } else {
                Commands.error("Usage: frontdoor:event-consumer-reset NAME --to POSITION|beginning|end");
                return;
            }
        }
        if (to == null) {
            Commands.error("Usage: frontdoor:event-consumer-reset NAME --to POSITION|beginning|end");
            return;
        }
        long position;
        switch (to.trim().toLowerCase(Locale.ROOT)) {
            case "beginning" -> position = PipelineStatus.BEGINNING;
            case "end" -> position = PipelineStatus.END;
            default -> {
                try {
                    position = Long.parseLong(to.trim());
                } catch (NumberFormatException e) {
                    position = -2;
                }
                if (position < 0) {
                    Commands.error("--to takes a position (0 or more), beginning or end, not "
                            + Text.oneLine(to, 40));
                    return;
                }
            }
        }
        try {
            EventConsumerInfo reset = status.resetEventConsumer(name, position);
            System.out.println("Events consumer " + Text.oneLine(reset.name(), 40) + " goes on after position "
                    + reset.position() + " (" + reset.behind() + " events for it to take)");
        } catch (NoSuchElementException e) {
            Commands.error("No events consumer " + Text.oneLine(name, 40) + " (frontdoor:event-consumer-list)");
        }
    }
}
