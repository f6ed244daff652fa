package org.frontdoor.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.Departments;

/** A command reading the departments; it stays listed and says why it cannot work while core is stopped. */
abstract class DepartmentAction extends CallerAction {

    @Reference(optional = true)
    Departments departments;

    /** What "open now" is measured against (tests set it). */
    Clock clock = Clock.systemUTC();

    @Override
    protected Object call() {
        if (departments == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        execute(departments);
        return null;
    }

    abstract void execute(Departments departments);
}
