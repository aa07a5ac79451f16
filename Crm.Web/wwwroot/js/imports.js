// Uploads the chosen file over plain HTTP (not the Blazor circuit), reporting progress to the page.
// The circuit would carry a 512 MB file in small SignalR messages; a streamed multipart POST does not.
window.crmImports = {
    upload(input, url, objectType, page) {
        const file = input.files && input.files[0];
        if (!file) return false;
        const form = new FormData();
        form.append("objectType", objectType);
        form.append("file", file, file.name);
        const xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.onprogress = e => {
            if (e.lengthComputable) page.invokeMethodAsync("OnUploadProgress", e.loaded, e.total);
        };
        xhr.onload = () => page.invokeMethodAsync("OnUploadDone", xhr.status, xhr.responseText);
        xhr.onerror = () => page.invokeMethodAsync("OnUploadDone", 0, "");
        xhr.onabort = () => page.invokeMethodAsync("OnUploadDone", -1, "");
        window.crmImports.current = xhr;
        page.invokeMethodAsync("OnUploadStarted", file.name, file.size);
        xhr.send(form);
        return true;
    },
    cancel() {
        if (window.crmImports.current) window.crmImports.current.abort();
    },
    clear(input) {
        if (input) input.value = "";
    }
};
