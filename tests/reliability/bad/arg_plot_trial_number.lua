-- lab.plot.trial with a number for the task.
-- expect: @: lab\.plot\.trial\(task_or_batch, net, options\): argument 1 must be an rnnlab\.Task or rnnlab\.Batch, got number
lab.plot.trial(5, nil, { out = "trial" }) -- error here
