using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

/// <summary>
/// A district's camera statuses with a bounded, sequenced log of recent changes in memory, from which silo indexes pull
/// deltas. A caller older than the log (or than this activation) gets a reset: every camera that is not online.
/// </summary>
public sealed class CameraStatusBook(DistrictStatusState state, int logCapacity = CameraStatusBook.DefaultLogCapacity)
{
    public const int DefaultLogCapacity = 4096;

    private readonly Queue<(long Seq, CameraStatusChange Change)> _log = new();
    private long _logFloor = state.Seq;

    public long Seq => state.Seq;

    public CameraStatus StatusOf(string cameraId) => state.NotOnline.GetValueOrDefault(cameraId, CameraStatus.Online);

    public int Count(CameraStatus status, Func<string, bool> isCatalogued) =>
        state.NotOnline.Count(s => s.Value == status && isCatalogued(s.Key));

    /// <summary>Records the status; false when it already was.</summary>
    public bool Set(string cameraId, CameraStatus status)
    {
        if (StatusOf(cameraId) == status) return false;
        if (status == CameraStatus.Online) state.NotOnline.Remove(cameraId);
        else state.NotOnline[cameraId] = status;
        state.Seq++;
        _log.Enqueue((state.Seq, new CameraStatusChange(cameraId, status)));
        while (_log.Count > logCapacity) _logFloor = _log.Dequeue().Seq;
        return true;
    }

    public StatusDelta? Since(string districtCode, long knownSeq)
    {
        if (knownSeq == state.Seq) return null;
        if (knownSeq < _logFloor || knownSeq > state.Seq)
            return new StatusDelta(districtCode, state.Seq, true, state.NotOnline.Select(s => new CameraStatusChange(s.Key, s.Value)).ToArray());
        return new StatusDelta(districtCode, state.Seq, false, _log.Where(e => e.Seq > knownSeq).Select(e => e.Change).ToArray());
    }
}
