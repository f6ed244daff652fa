package org.frontdoor.shell.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;

/** Completes the ids of the departments, configured and seen. */
@Service
public class DepartmentCompleter implements Completer {

    @Reference(optional = true)
    Departments departments;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Departments d = departments;
        List<String> ids = d == null ? List.of() : d.list().stream().map(Department::id).toList();
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
