using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Duplicates;

/// <summary>Queues a workspace scan for duplicates (a Quartz job in the app).</summary>
public interface IDuplicateScheduler
{
    Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default);
}
