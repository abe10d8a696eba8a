"""Size and range limits of a citizen report, shared by the form, the API and the models."""

#: the note a reporter may add, in characters.
MAX_NOTE_CHARS = 500
#: a moderator's reason, in characters.
MAX_REASON_CHARS = 500
#: the largest request body the report form and API read, in bytes. A full form with a
#: 500-character note of 4-byte characters, percent-encoded, is about 6.5 KiB.
MAX_BODY_BYTES = 16 * 1024
#: speed-test figures above this are typing errors, not phones (Mbit/s).
MAX_MBPS = 3000.0
#: latency above this is a typing error or a dead link (ms).
MAX_LATENCY_MS = 10000.0
#: reports one client may file per hour unless ``JANGKAU_REPORTS_PER_CLIENT_PER_HOUR`` is set.
DEFAULT_REPORTS_PER_CLIENT_PER_HOUR = 10
#: a pin this close to a village of the regency (but outside every village) still counts, in
#: metres: the boundaries are not drawn more precisely than this, nor is a phone's GPS fix.
EDGE_TOLERANCE_M = 200.0
