// Opens the embedding page when the toolbar button is clicked. The engine
// runs in that page (and its workers), not here: a service worker has no
// Worker constructor and is stopped when idle, which would drop the model.
chrome.action.onClicked.addListener(() => {
  chrome.tabs.create({ url: chrome.runtime.getURL("embed.html") });
});
