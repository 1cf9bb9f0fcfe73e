// SafetyNet situation-room dashboard, the entry point: signs in, then shows what the role works with. Operators and
// supervisors: the map coloured by their access, live incidents, camera wall and camera panel. District admins: the map
// and their district's sharing policy, camera list import, monthly review and cameras' privacy masks. Auditors: live misuse flags, the audit
// trail, its chain verification and the monthly review.
import { applyLanguage, toggleLanguage, onLanguageChange, t } from './i18n.js';
import { $ } from './dom.js';
import { initSignIn, endSession, canView } from './session.js';
import { startMap, recolourCameras, setCameraStatus, reloadCameras, cameraAccess, cameraIds, cameraLatLng, allDistrictCodes } from './map.js';
import { loadAccessOverview } from './accessOverview.js';
import { connectHub, stopHub, resyncs } from './hub.js';
import { initAlertNotices, loadAlertNotices, noticePosted, noticeEnded } from './alertNotices.js';
import { reconnects } from './reconnect.js';
import { initIncidents, resubscribe, upsertIncident, closeIncident, incidentAccessEnded, selectIncident } from './incidents.js';
import { initIncidentActions, DISPATCHER_ROLES } from './incidentActions.js';
import { openCamera } from './cameraPanel.js';
import { revokeLease, revokeIncidentAccess, stopAllPlayers } from './player.js';
import { ptzPreempted } from './ptzControls.js';
import { showPolicyTable } from './policyTable.js';
import { showAuditView } from './auditView.js';
import { showReviewView } from './reviewView.js';
import { openMaskEditor } from './maskEditor.js';
import { showFlagsView } from './flagsView.js';
import { showCameraImport } from './cameraImport.js';

const OVERVIEW_REFRESH_DELAY_MS = 300;
let refreshTimer = null;

/** Access changes come in bursts (an incident grants many cameras at once): reload the overview once per burst. */
function refreshAccess() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    await loadAccessOverview().catch(() => {});
    recolourCameras();
  }, OVERVIEW_REFRESH_DELAY_MS);
}

async function startOperations(role) {
  const viewer = canView(role);
  if (viewer) await loadAccessOverview();
  initIncidents(openCamera);
  initAlertNotices();
  if (DISPATCHER_ROLES.includes(role)) initIncidentActions(selectIncident);
  // A district admin never views video through the camera panel; a camera on the map opens its privacy masks instead.
  await startMap(role === 'district-admin' ? openMaskEditor : openCamera);
  const withAccess = (handler) => (e) => { handler(e); if (viewer) refreshAccess(); };
  await connectHub({
    incidentOpened: withAccess(upsertIncident),
    incidentUpdated: upsertIncident,
    incidentClosed: withAccess(closeIncident),
    accessGranted: withAccess(() => {}),
    accessRevoked: withAccess((e) => { revokeIncidentAccess(e); incidentAccessEnded(e); }),
    leaseRevoked: revokeLease,
    ptzPreempted,
    cameraStatusChanged: (e) => setCameraStatus(e.cameraId, e.status),
    alertNoticePosted: noticePosted,
    alertNoticeEnded: noticeEnded,
  }, async (incidents, changedMeanwhile) => {
    await resubscribe(incidents, changedMeanwhile);
    await loadAlertNotices().catch(() => {});
    // Grants made before this (re)connection sent no event to this page: read the overview again once subscribed.
    if (viewer) refreshAccess();
  }, allDistrictCodes(), reloadCameras);
}

async function onSignedIn({ role, agencyId }) {
  if (role === 'auditor') { $('map').hidden = true; await Promise.all([showFlagsView(), showAuditView(), showReviewView($('audit'))]); return; }
  if (role === 'district-admin' || role === 'platform-admin') showPolicyTable(agencyId);
  if (role === 'district-admin') {
    showReviewView($('policy'));
    // Who viewed the district's cameras, beside the policy and masks rather than in place of the map.
    $('certificate-pin').after($('audit'));
    showAuditView({ verifyChain: false });
  }
  // Right under the policy, above the monthly review.
  if (role === 'district-admin' || role === 'platform-admin') showCameraImport($('policy'), reloadCameras);
  await startOperations(role);
}

$('lang').addEventListener('click', toggleLanguage);
onLanguageChange(() => { $('lang').textContent = t('switchLanguage'); });
$('logout').addEventListener('click', async () => { stopAllPlayers(t('close')); await stopHub(); await endSession(); });
initSignIn(onSignedIn);
window.safetynet = { openCamera, openMaskEditor, selectIncident, cameraAccess, cameraIds, cameraLatLng, resyncs, reconnects };
applyLanguage();
