namespace SafetyNet.Contracts.Ptz;

/// <summary>What a PTZ command may carry: finite velocities in [-1, 1], a preset token for a preset, and nothing else.</summary>
public static class PtzCommandRules
{
    public const int MaxPresetLength = 64;

    public static string? Problem(PtzCommand command)
    {
        if (!Enum.IsDefined(command.Kind)) return "The PTZ command is not one of move, stop, preset, home.";
        if (command.Kind == PtzCommandKind.Move)
        {
            foreach (var (name, value) in new[] { ("pan", command.Pan), ("tilt", command.Tilt), ("zoom", command.Zoom) })
                if (!double.IsFinite(value) || value < -1 || value > 1) return $"{name} is a velocity in [-1, 1].";
            if (command.Pan == 0 && command.Tilt == 0 && command.Zoom == 0) return "A move needs a non-zero pan, tilt or zoom velocity; use stop to stop.";
        }
        if (command.Kind == PtzCommandKind.Preset &&
            (string.IsNullOrWhiteSpace(command.Preset) || command.Preset.Length > MaxPresetLength || command.Preset.Any(char.IsControl)))
            return $"token is the preset's token: 1-{MaxPresetLength} characters, no control characters.";
        return null;
    }
}
