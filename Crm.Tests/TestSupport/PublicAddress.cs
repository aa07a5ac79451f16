using System.Net;

namespace Crm.Tests.TestSupport;

/// <summary>
/// The in-memory test app reachable over real HTTP at a loopback address, as a provider's push needs it: each request
/// that arrives is passed to the app's in-memory client and its answer written back. The address is known before the
/// app is built (it goes into the app's settings); <see cref="Start"/> begins relaying once the app exists.
/// </summary>
public sealed class PublicAddress : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private HttpClient? _app;
    private Task? _loop;

    public string Url { get; } = $"http://127.0.0.1:{AppProcess.FreePort()}";

    public void Start(HttpClient app)
    {
        _app = app;
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => RelayAsync(context));
        }
    }

    private async Task RelayAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, _stop.Token);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), context.Request.Url!.PathAndQuery) { Content = new ByteArrayContent(body.ToArray()) };
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
                if (!name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                    request.Headers.TryAddWithoutValidation(name, context.Request.Headers.GetValues(name) ?? []);
            using var response = await _app!.SendAsync(request, _stop.Token);
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
            var bytes = await response.Content.ReadAsByteArrayAsync(_stop.Token);
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
        }
        catch (Exception e) when (e is HttpListenerException or OperationCanceledException or HttpRequestException)
        {
            context.Response.StatusCode = 502;
        }
        finally
        {
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener.IsListening) _listener.Stop();
        _listener.Close();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
