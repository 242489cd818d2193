"""The case file. One module per part; this package re-exports every model."""

from cases.models.break_glass import BreakGlassAccess
from cases.models.case import (
    AreaOfWork,
    Case,
    CaseCounter,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    ClosingReason,
    Defender,
    RiskLevel,
    ThreatType,
)
from cases.models.consent import Consent
from cases.models.court import (
    DefenderRole,
    HearingObserver,
    ObserverStatus,
    Proceeding,
    ProceedingStatus,
)
from cases.models.detention import (
    BenchmarkKind,
    BenchmarkMilestone,
    BenchmarkRule,
    Detention,
    Hearing,
)
from cases.models.incident import Incident
from cases.models.retention import RetentionPolicy
from cases.models.risk import RiskAssessment
from cases.models.search import SAVED_FILTERS_MAX, SavedCaseFilter
from cases.models.sharing import (
    CaseAccessLog,
    CaseShare,
    CoordinationRequest,
    DuplicateHintCheck,
)
from cases.models.task import Task

__all__ = [
    "SAVED_FILTERS_MAX",
    "AreaOfWork",
    "BenchmarkKind",
    "BenchmarkMilestone",
    "BenchmarkRule",
    "BreakGlassAccess",
    "Case",
    "CaseAccessLog",
    "CaseCounter",
    "CaseGroupObjectPermission",
    "CaseShare",
    "CaseUserObjectPermission",
    "ClosingReason",
    "Consent",
    "CoordinationRequest",
    "Defender",
    "DefenderRole",
    "Detention",
    "DuplicateHintCheck",
    "Hearing",
    "HearingObserver",
    "Incident",
    "ObserverStatus",
    "Proceeding",
    "ProceedingStatus",
    "RetentionPolicy",
    "RiskAssessment",
    "RiskLevel",
    "SavedCaseFilter",
    "Task",
    "ThreatType",
]
