package org.frontdoor.shell.completers;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.frontdoor.api.Visibility;

/** Completes the visibilities of a reply. */
@Service
public class VisibilityCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(Arrays.stream(Visibility.values()).map(Enum::name).toList())
                .complete(session, commandLine, candidates);
    }
}
