"""Small asyncio helpers beneath everything else in libs/: ending a task for good
(``tasks``), a bounded map that forgets its oldest (``newest``), taking what has queued up
(``queues``). They import nothing of ours, so messaging and runtime both stand on them."""
