namespace SafetyNet.Grains.Demo;

/// <summary>
/// Seeds for the demo generators that are the same in every process. (HashCode.Combine and string.GetHashCode are
/// randomised per process, which would make "the same seed gives the same city" false.)
/// </summary>
public static class StableSeed
{
    public static int Of(int seed, string part1, string part2 = "")
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in part1 + "\u001f" + part2)
                hash = (hash ^ c) * 16777619u;
            return (int)(hash & int.MaxValue);
        }
    }
}
