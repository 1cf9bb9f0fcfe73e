using System.Collections.Concurrent;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Numbers each distinct string once, so that records can hold numbers instead of references: the garbage collector never
/// traces an array of numbers, however large it grows.
/// </summary>
internal sealed class StringNumbers
{
    private readonly ConcurrentDictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];

    public int NumberOf(string value) => _numbers.TryGetValue(value, out var number) ? number : Add(value);

    public string this[int number]
    {
        get
        {
            lock (_strings) return _strings[number];
        }
    }

    public void Clear()
    {
        lock (_strings)
        {
            _numbers.Clear();
            _strings.Clear();
        }
    }

    private int Add(string value)
    {
        lock (_strings)
        {
            if (_numbers.TryGetValue(value, out var number)) return number;
            _strings.Add(value);
            _numbers[value] = _strings.Count - 1;
            return _strings.Count - 1;
        }
    }
}
