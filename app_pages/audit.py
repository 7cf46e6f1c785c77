"""Audit: answer the indicators phase by phase; every answer is saved at once."""

import pandas as pd
import streamlit as st

import ui
from staymobil_core.answers import MAX_NOTE, read_answers, save_answer, save_notes
from staymobil_core.audits import complete_audit, delete_audit, reopen_audit
from staymobil_core.framework_store import stored_framework
from staymobil_core.scoring import score_audit

PHASE_KEY = "audit_phase"
ACTIVITY_KEY = "audit_activity"

st.title("Audit")
ui.show_flash()

organisation = ui.selected_organisation()
audit = ui.selected_audit()
if organisation is None or audit is None:
    st.info(
        "Pick an organisation and an audit in the sidebar, or register an "
        "organisation and start an audit on the Organisation page."
    )
    st.stop()

framework = stored_framework(ui.cursor(), audit.framework_id, audit.framework_version)
answers = read_answers(ui.cursor(), audit.audit_id)
codes = {indicator_id: a.code for indicator_id, a in answers.items()}
scores = score_audit(framework, audit.actor_type, codes)
applicable = framework.indicators_for(audit.actor_type)


def answer_key(indicator_id: str) -> str:
    return f"answer-{audit.audit_id}-{indicator_id}"


def store_answer(indicator_id: str) -> None:
    code = st.session_state[answer_key(indicator_id)]
    ui.run_action(lambda: save_answer(ui.cursor(), audit.audit_id, indicator_id, code))


def clear_answer(indicator_id: str) -> None:
    ui.run_action(lambda: save_answer(ui.cursor(), audit.audit_id, indicator_id, None))


def store_note(indicator_id: str, field: str) -> None:
    text = st.session_state[f"{field}-{audit.audit_id}-{indicator_id}"]
    ui.run_action(
        lambda: save_notes(
            ui.cursor(), audit.audit_id, indicator_id, **{field: text or ""}
        )
    )


def show_stored(indicator_id: str, stored) -> None:
    """Set the indicator's widgets to what is stored, before they are drawn.

    Another tab or team member may have changed the answer, and a rejected
    change must not look saved, so every run shows the database's values.
    """
    st.session_state[answer_key(indicator_id)] = stored.code if stored else None
    for field in ("comment", "evidence"):
        text = getattr(stored, field) if stored else ""
        st.session_state[f"{field}-{audit.audit_id}-{indicator_id}"] = text


def jump_to_next_open() -> None:
    first_open = next((i for i in applicable if codes.get(i.id) is None), None)
    if first_open is not None:
        st.session_state[PHASE_KEY] = first_open.phase_id
        st.session_state[ACTIVITY_KEY] = first_open.core_activity_id


team = ", ".join(ui.plain(m.name) for m in audit.members) or "no members listed"
st.markdown(
    f"**{ui.plain(organisation.name)}**, audit of {audit.audit_date.isoformat()} "
    f"({audit.actor_type} organisation), led by {ui.plain(audit.lead.name)}; "
    f"team: {team}."
)
st.caption(f"{framework.title}, version {framework.version}. {framework.notice}")

total = scores.total.coverage
done = total.answered + total.not_applicable
st.progress(
    done / total.indicators if total.indicators else 0.0,
    text=f"{done} of {total.indicators} indicators done "
    f"({total.answered} answered, {total.not_applicable} not applicable), "
    f"{total.open} open",
)

if audit.is_complete:
    st.success("This audit is complete and read-only.")
    if st.button("Reopen audit"):
        if ui.run_action(
            lambda: reopen_audit(ui.cursor(), audit.audit_id), "Audit reopened."
        ):
            st.rerun()

with st.expander("Progress by core activity", expanded=total.open > 0):
    names = {ca.id: ca.name for ca in framework.core_activities}
    phase_names = {p.id: p.name for p in framework.phases}
    phase_of = {ca.id: ca.phase_id for ca in framework.core_activities}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "phase": phase_names[phase_of[s.area_id]],
                    "core activity": names[s.area_id],
                    "answered": s.coverage.answered + s.coverage.not_applicable,
                    "of": s.coverage.indicators,
                    "open": s.coverage.open,
                }
                for s in scores.core_activities
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if total.open:
        st.button("Go to the next open item", on_click=jump_to_next_open)

phase_ids = [p.id for p in framework.phases]
phase_labels = {
    p.id: f"{n}. {p.name} ({p.when})" for n, p in enumerate(framework.phases, 1)
}
if st.session_state.get(PHASE_KEY) not in phase_ids:
    st.session_state[PHASE_KEY] = phase_ids[0]
phase_id = st.radio(
    "Phase", phase_ids, format_func=phase_labels.get, horizontal=True, key=PHASE_KEY
)
phase = next(p for p in framework.phases if p.id == phase_id)

activity_ids = [ca.id for ca in phase.core_activities]
open_by_activity = {s.area_id: s.coverage.open for s in scores.core_activities}
if st.session_state.get(ACTIVITY_KEY) not in activity_ids:
    st.session_state[ACTIVITY_KEY] = activity_ids[0]
activity_id = st.radio(
    "Core activity",
    activity_ids,
    format_func=lambda i: next(ca.name for ca in phase.core_activities if ca.id == i),
    horizontal=True,
    key=ACTIVITY_KEY,
)
only_open = st.toggle("Show only open items", key="audit_only_open")

options = [o.code for o in framework.answer_scale]
labels = {o.code: o.label for o in framework.answer_scale}
not_applicable = {o.code for o in framework.answer_scale if o.value is None}
shown = [i for i in applicable if i.core_activity_id == activity_id]
if only_open:
    shown = [i for i in shown if codes.get(i.id) is None]
st.caption(f"{open_by_activity.get(activity_id, 0)} open in this core activity.")
if not shown:
    st.info("Nothing open here." if only_open else "No indicator applies here.")

for indicator in shown:
    stored = answers.get(indicator.id)
    allowed = [c for c in options if indicator.allow_na or c not in not_applicable]
    show_stored(indicator.id, stored)
    with st.container(border=True, key=f"indicator-{indicator.id}"):
        st.markdown(f"**{indicator.id}** {indicator.statement}")
        if indicator.guidance:
            st.caption(f"Evidence for a Yes: {indicator.guidance}")
        st.radio(
            f"Answer to {indicator.id}",
            allowed,
            index=None,
            format_func=labels.get,
            horizontal=True,
            key=answer_key(indicator.id),
            on_change=store_answer,
            args=(indicator.id,),
            disabled=audit.is_complete,
            label_visibility="collapsed",
        )
        left, right = st.columns(2)
        left.text_area(
            "Comment",
            key=f"comment-{audit.audit_id}-{indicator.id}",
            on_change=store_note,
            args=(indicator.id, "comment"),
            disabled=audit.is_complete,
            height=68,
            max_chars=MAX_NOTE,
            help="Saved when you click outside the field or press Ctrl+Enter. "
            f"At most {MAX_NOTE:,} characters.",
        )
        right.text_input(
            "Evidence (note or link)",
            key=f"evidence-{audit.audit_id}-{indicator.id}",
            on_change=store_note,
            args=(indicator.id, "evidence"),
            disabled=audit.is_complete,
            max_chars=MAX_NOTE,
            help="Saved when you click outside the field or press Enter. "
            f"At most {MAX_NOTE:,} characters.",
        )
        if stored is not None and stored.code is not None and not audit.is_complete:
            st.button(
                "Clear answer",
                key=f"clear-{audit.audit_id}-{indicator.id}",
                on_click=clear_answer,
                args=(indicator.id,),
                type="tertiary",
            )

if not audit.is_complete:
    st.divider()
    st.markdown("**Finish the audit**")
    confirm = True
    if total.open:
        confirm = st.checkbox(
            f"Mark it complete with {total.open} open indicators; the results will "
            "show them as open."
        )
    if st.button("Mark audit complete", type="primary", disabled=not confirm):
        if ui.run_action(
            lambda: complete_audit(ui.cursor(), audit.audit_id),
            "Audit marked complete. Read it on the Results page.",
        ):
            st.rerun()

    with st.expander("Delete this draft audit"):
        st.warning(
            f"Deletes the audit of {audit.audit_date.isoformat()} with all its "
            "answers. This cannot be undone."
        )
        confirmed = st.checkbox("I understand", key=f"confirm-delete-{audit.audit_id}")
        if st.button("Delete audit", disabled=not confirmed):
            if ui.run_action(
                lambda: delete_audit(ui.cursor(), audit.audit_id), "Audit deleted."
            ):
                ui.select(organisation.organisation_id)
                st.rerun()
