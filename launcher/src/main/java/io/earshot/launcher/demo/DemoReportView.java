package io.earshot.launcher.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The headline numbers of a finished demo, for callers (and tests) that run it in-process. */
public final class DemoReportView {

    private final DemoReport report;

    DemoReportView(DemoReport report) {
        this.report = report;
    }

    public double psds1() {
        return report.evaluation().psds1();
    }

    public double psds2() {
        return report.evaluation().psds2();
    }

    public double eventF1Macro() {
        return report.evaluation().eventF1Macro();
    }

    public double segmentF1Macro() {
        return report.evaluation().segmentF1Macro();
    }

    public double audioSeconds() {
        return report.run().replay().audioSeconds();
    }

    public double realTimeFactor() {
        return report.run().realTimeFactor();
    }

    public double totalSeconds() {
        return report.totalSeconds();
    }

    /** The same object {@code --json} writes. */
    public ObjectNode json() {
        return report.toJson();
    }
}
