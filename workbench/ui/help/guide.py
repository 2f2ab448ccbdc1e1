"""The user guide shown in Help › User guide: getting started, the workflow from import
to export, and how waves, evidence and economics connect."""

from __future__ import annotations

TOPICS: tuple[tuple[str, str], ...] = (
    ("start", "Getting started"),
    ("workflow", "From import to export"),
    ("waves", "Editing waves"),
    ("evidence", "Evidence: what the plan rests on"),
    ("economics", "Economics and the schedule"),
    ("selection", "Selection and details"),
    ("files", "Plan files, autosave and sharing"),
)

GUIDE_HTML = """
<h1>Mesh Migration Workbench: user guide</h1>
<p>The workbench plans the move of a Kubernetes estate onto the Istio service mesh: it
reads what runs, finds who calls whom, says what would break, helps you arrange the
workloads into waves and prices the move. Everything lives in one <i>plan</i>, saved as
a single <code>.meshplan</code> file with nothing secret inside.</p>
<p>Contents: <a href='#start'>Getting started</a> · <a href='#workflow'>From import to
export</a> · <a href='#waves'>Editing waves</a> · <a href='#evidence'>Evidence</a> ·
<a href='#economics'>Economics</a> · <a href='#selection'>Selection and details</a> ·
<a href='#files'>Plan files</a></p>

<a name='start'></a><h2>Getting started</h2>
<p>The start page offers three ways in:</p>
<ul>
<li><b>New plan from a cluster</b> (File › Import › From a cluster, Ctrl+Shift+K): pick
kubeconfig contexts and namespaces; the workbench reads workloads, Services, namespaces
and existing mesh state. Secrets are never read.</li>
<li><b>New plan from files</b> (Ctrl+Shift+I): <code>kubectl get -o yaml|json</code>
dumps or manifest folders, for estates you cannot reach from this machine.</li>
<li><b>Open the sample plan</b>: a ready-made estate with waves and a business case,
to look around before importing your own.</li>
</ul>
<p>An import starts a new plan unless you choose <i>Merge into the open plan</i>; a
merge keeps every wave assignment and brings new workloads in as unassigned. Filters
typed in the views are cleared when a new plan arrives, so you always see all of it
first.</p>

<a name='workflow'></a><h2>From import to export</h2>
<ol>
<li><b>Inventory</b> (Ctrl+1): every workload with its kind, pods, wave, risk and
readiness. Type in the filter (Ctrl+F) to narrow the table; right-click to assign the
selection to a wave or to a new wave.</li>
<li><b>Dependencies</b> (Ctrl+2): who calls whom. Callers sit left of their callees,
namespaces are boxes, and edges are drawn around the boxes, never under them. Click a
workload to highlight its callers and callees; hover or click an edge to highlight both
ends. Large estates open with namespaces collapsed: double-click one to expand it.</li>
<li><b>Findings</b> (Ctrl+6): what would break when a workload joins the mesh, and what
the schedule gets wrong, grouped by severity and rule. Each finding links to its entry in
the <a href='help:rules'>rule reference</a> (why it matters, how to fix it, the Istio
source). Mute a finding that does not apply, with a reason.</li>
<li><b>Gantt</b> (Ctrl+3) and <b>Waves</b> (Ctrl+4): arrange the workloads into waves.
<i>Auto-plan</i> proposes waves that honour the rules; you then edit them.</li>
<li><b>Economics</b> (Ctrl+5): cost, benefit, ROI, payback and NPV, with the
assumptions they rest on and scenarios side by side.</li>
<li><b>Export</b> (Ctrl+E): Istio manifests per wave, an Excel workbook with live
formulas, an executive PDF. Tick several formats to write them in one go.</li>
</ol>

<a name='waves'></a><h2>Editing waves</h2>
<p>The <b>Plan</b> menu, the Waves table's context menu and the Gantt's context menu
offer the same wave edits. Every one is a single undo step (Ctrl+Z).</p>
<ul>
<li><b>New wave…</b> (Ctrl+Shift+N): a wave after the last one, as long as the last one.
<i>Assign to wave › New wave…</i> in the Inventory creates a wave with the selected
workloads in it.</li>
<li><b>Rename wave…</b> (F2) on the selected wave.</li>
<li><b>Delete wave</b> (Ctrl+Shift+Del): its workloads return to <i>Unassigned</i>.</li>
<li><b>Split wave</b>: the second half of the workloads and of the days move to a new
wave right after it, with the same targets.</li>
<li><b>Merge waves</b>: select several waves (Ctrl+click); they merge into the first one
picked, whose dates then span them all.</li>
</ul>
<p>The <b>Unassigned workloads</b> tray docks beside the Gantt and the Waves table. Filter
it, then drag workloads onto a wave bar or a wave row. Drag a workload back onto the tray
to unassign it. Drag a wave bar to move it, its ends to resize it; Ctrl+click selects
several bars to move together.</p>
<p>While you drag, the findings, the coverage curve and the business-case strip under the
Gantt follow: you see what a move does to the risk and to the payback before you let go.</p>

<a name='evidence'></a><h2>Evidence: what the plan rests on</h2>
<p>Each dependency records where it was seen: configuration (an environment variable, a
ConfigMap key), runtime telemetry, or a person's confirmation. Where the workbench cannot
know whether a workload has callers, it says so and takes the safe path: mTLS stays
PERMISSIVE, authorization policies are written as dry-run, and the gap shows up as a
finding rather than a guess. Add a dependency you know about in the Dependencies view
(select the caller, then the callee, then <i>Add dependency</i>).</p>

<a name='economics'></a><h2>Economics and the schedule</h2>
<p>The business case is computed from the plan, not typed beside it. Sidecar or ambient
overhead comes from the pods in each wave and the wave's dates; benefits ramp with the
share of workloads meshed when the ramp is <i>coverage</i>. Moving a wave therefore moves
the cost curve and the payback month. Every assumption is an input you can edit on the
Economics view, and each one says whether it is a default or your own figure. The Excel
export keeps the same numbers as live formulas over the same assumptions.</p>

<a name='selection'></a><h2>Selection and details</h2>
<p>Select a workload or a wave in any view and the <b>Details</b> dock shows it: its
pods, containers, findings, callers and callees, or a wave's dates, targets and members.
Selecting a workload in one view selects it in the others, so switching views keeps your
place. Links in the Details dock jump to the object they name.</p>

<a name='files'></a><h2>Plan files, autosave and sharing</h2>
<p>Save (Ctrl+S) writes the plan atomically and keeps the previous version as a backup.
A recovery copy is autosaved while you work; after a crash the workbench offers it when it
starts. File › Close (Ctrl+W) closes the plan and returns to the start page. Open Recent
shows each plan's folder, so two plans with the same name are told apart.</p>
"""
