using System.Net;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Requests that share a provider's "at once" slots (Exchange: 4 per mailbox) hold one only while on the wire: never
/// more out than there are slots, and a slot is free again once the answer is in memory, before the caller parses it.
/// </summary>
public class RequestSlotsTests
{
    /// <summary>Answers after <paramref name="delay"/> and counts how many requests it holds at once.</summary>
    private sealed class Server(TimeSpan delay) : HttpMessageHandler
    {
        private int _now;
        public int Most;
        public int Served;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _now);
            lock (this) Most = Math.Max(Most, now);
            try
            {
                await Task.Delay(delay, ct);
                Interlocked.Increment(ref Served);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream("{\"value\":[]}"u8.ToArray())) };
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }

    private static HttpMessageInvoker Client(Server server) => new(new RequestSlots { InnerHandler = server });

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "https://graph.example/v1.0/me/calendars/c1/calendarView/delta");

    private static Task<HttpResponseMessage> SendAsync(HttpMessageInvoker client, SemaphoreSlim? slots)
    {
        using var _ = slots is null ? null : RequestSlots.Use(slots);
        return client.SendAsync(Get(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Requests_SharingTwoSlots_AreNeverMoreThanTwoOnTheWire()
    {
        var server = new Server(TimeSpan.FromMilliseconds(50));
        using var client = Client(server);
        using var slots = new SemaphoreSlim(2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(client, slots)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal((2, 6), (server.Most, server.Served));
        Assert.Equal(2, slots.CurrentCount);
    }

    [Fact]
    public async Task ASlot_IsFreeOnceTheAnswerIsInMemory_BeforeTheCallerReadsIt()
    {
        var server = new Server(TimeSpan.FromMilliseconds(10));
        using var client = Client(server);
        using var slots = new SemaphoreSlim(1);

        using var first = await SendAsync(client, slots);
        // The first answer is not read yet: the one slot is already free for the next request.
        Assert.Equal(1, slots.CurrentCount);
        using var second = await SendAsync(client, slots).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("{\"value\":[]}", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task RequestsOutsideAnySlots_AreNotHeldBack()
    {
        var server = new Server(TimeSpan.FromMilliseconds(50));
        using var client = Client(server);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => SendAsync(client, null)));

        Assert.Equal(5, server.Most);
    }

    [Fact]
    public async Task AFailedRequest_GivesItsSlotBack()
    {
        using var client = new HttpMessageInvoker(new RequestSlots { InnerHandler = new Failing() });
        using var slots = new SemaphoreSlim(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(client, slots));

        Assert.Equal(1, slots.CurrentCount);
    }

    private sealed class Failing : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            throw new HttpRequestException("connection reset");
    }
}
