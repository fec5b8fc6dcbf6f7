"""The MFA tab: one row per guest with its methods, a coverage chart, and inbound MFA trust."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.ui.data_table import DataTable
from ztna_desktop.ui.explain import mfa_explanation
from ztna_desktop.ui.freshness import FreshnessLabel
from ztna_desktop.ui.models.mfa_columns import MFA_COLUMNS
from ztna_desktop.ui.models.mfa_columns import search_text as mfa_search_text
from ztna_desktop.ui.view_data import ViewData
from ztna_desktop.ui.views.common import count_text, heading, notice, set_notice
from ztna_desktop.ui.views.mfa_chart import Bar, MfaChart

TRUST_INTRO = (
    "A guest from a tenant whose MFA is trusted does MFA at home and may show no method here."
)


def trust_html(data: ViewData) -> str:
    """The inbound cross-tenant MFA trust, default and per partner, with guest counts."""
    d = data.directory
    if "trust" in data.errors:
        why = html.escape(str(data.errors["trust"]))
        return f"<p>Cross-tenant access settings could not be read: {why}</p>"
    guests_from: dict[str, int] = {}
    for tenant in d.home_tenants.values():
        guests_from[tenant] = guests_from.get(tenant, 0) + 1

    def yes_no(accepted: bool) -> str:
        return (
            "<span style='color:#107c10'><b>trusted</b></span>"
            if accepted
            else "<span style='color:#a4262c'>not trusted</span>"
        )

    default = d.mfa_trust_default
    rows = [
        "<tr><td>Default (every other tenant)</td><td>"
        + (yes_no(default.is_mfa_accepted) if default else "unknown")
        + "</td><td></td></tr>"
    ]
    for tenant_id, trust in sorted(
        d.mfa_trust_partners.items(), key=lambda kv: (kv[1].name or kv[0]).casefold()
    ):
        name = html.escape(trust.name or tenant_id)
        count = guests_from.get(tenant_id, 0)
        rows.append(
            f"<tr><td title='{html.escape(tenant_id)}'>{name}</td>"
            f"<td>{yes_no(trust.is_mfa_accepted)}</td>"
            f"<td align='right'>{count} guest{'s' if count != 1 else ''}</td></tr>"
        )
    return (
        f"<p>{html.escape(TRUST_INTRO)}</p>"
        "<table cellspacing='0' cellpadding='3'>"
        "<tr><th align='left'>Partner</th><th align='left'>Inbound MFA</th><th></th></tr>"
        + "".join(rows)
        + "</table>"
    )


class MfaView(QWidget):
    """Chart and trust side by side on top; the per-guest table below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ViewData | None = None
        self.table = DataTable(
            MFA_COLUMNS,
            search_text=mfa_search_text,
            export_name="mfa",
            parent=self,
        )
        self.table.setObjectName("mfaTable")
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search guests")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.no_mfa_box = QCheckBox("No MFA only", self)
        self.no_mfa_box.toggled.connect(self._on_no_mfa_box_toggled)
        self.count_label = QLabel(self)
        self.freshness = FreshnessLabel(self)
        self.explanation = notice("", self)
        self.explanation.setObjectName("mfaExplanation")
        self.chart = MfaChart(self)
        self.trust_label = QLabel(self)
        self.trust_label.setObjectName("mfaTrust")
        self.trust_label.setWordWrap(True)
        self.trust_label.setTextFormat(Qt.TextFormat.RichText)
        self.trust_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        trust_box = QWidget(self)
        tl = QVBoxLayout(trust_box)
        tl.setContentsMargins(12, 0, 0, 0)
        tl.addWidget(heading("Inbound cross-tenant MFA trust", self, size=1.0))
        tl.addWidget(self.trust_label, 1)
        upper = QHBoxLayout()
        upper.addWidget(self.chart, 3)
        upper.addWidget(trust_box, 2)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.no_mfa_box)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.freshness)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addLayout(upper)
        layout.addWidget(self.table, 1)
        self.table.proxy.modelReset.connect(self._update_count)
        self._update_count()

    def set_data(self, data: ViewData) -> None:
        self.data = data
        mfa = data.directory.mfa
        from_report = mfa is not None and all(r.from_report for r in mfa.values())
        set_notice(
            self.explanation,
            mfa_explanation(
                data.errors.get("mfa"), have_data=mfa is not None, from_report=from_report
            ),
        )
        self.no_mfa_box.setEnabled(mfa is not None)
        total = len(data.mfa.rows)
        if mfa is None:
            self.chart.set_bars([], total, "MFA coverage not available")
        else:
            bars = [Bar(m.value, data.mfa_counts.get(m, 0)) for m in MfaMethod]
            bars.append(Bar("No MFA", data.mfa_none, alarm=True))
            self.chart.set_bars(bars, total, "Guests per MFA method")
        self.trust_label.setText(trust_html(data))
        self.table.set_prepared(data.mfa)

    def export_table(self) -> DataTable:
        return self.table

    def _on_no_mfa_box_toggled(self, checked: bool) -> None:
        self.table.set_predicate((lambda r: not r.registered) if checked else None)

    def _update_count(self) -> None:
        self.count_label.setText(
            count_text(self.table.shown_count(), self.table.total_count(), "guests")
        )
