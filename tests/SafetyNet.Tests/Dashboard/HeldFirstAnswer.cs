using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// Holds a page's first request to a URL between the server's answer and the page until released; later requests pass.
/// A test thereby puts events that come meanwhile before an answer the page read earlier, with certainty.
/// </summary>
internal sealed class HeldFirstAnswer
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public static async Task<HeldFirstAnswer> OnAsync(IPage page, string url)
    {
        var held = new HeldFirstAnswer();
        await page.RouteAsync(url, held.RouteAsync);
        return held;
    }

    /// <summary>The page's requests to the URL so far, the held one included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes once the server has answered the first request, whose answer is now held.</summary>
    public Task Answered => _answered.Task;

    public void Release() => _released.TrySetResult();

    private async Task RouteAsync(IRoute route)
    {
        if (Interlocked.Increment(ref _requests) > 1)
        {
            await route.ContinueAsync();
            return;
        }
        var answer = await route.FetchAsync();
        _answered.SetResult();
        await _released.Task;
        await route.FulfillAsync(new RouteFulfillOptions { Response = answer });
    }
}
