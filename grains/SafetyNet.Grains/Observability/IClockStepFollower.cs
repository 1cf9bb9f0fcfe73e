namespace SafetyNet.Grains.Observability;

/// <summary>Something on the node that keeps wall-clock times of its own and corrects them when the wall clock steps.</summary>
public interface IClockStepFollower
{
    /// <summary>Called once per step, on the watch's loop: it must return quickly and not throw.</summary>
    void Follow(ClockStep step);
}
